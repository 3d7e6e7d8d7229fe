// The desktop keeps the SMTP password with the OS keychain (electron/app/secrets.ts), never in
// the database. Electron cannot run here, so safeStorage's part — encrypt and decrypt with a
// key only this user's OS session holds — is played by AES-256-GCM under a key of this test;
// what is checked is Kontor's own part: the file holds no clear text, a missing or unusable
// keychain stores nothing, a password encrypted elsewhere reads as absent.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KontorError } from '#common/errors';
import { type Cipher, keychainSecrets } from '../../electron/app/secrets';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-secrets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function aesCipher(
  key = crypto.randomBytes(32),
  backend: 'gnome_libsecret' | 'basic_text' = 'gnome_libsecret',
): Cipher {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(data) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('the keychain secret store', () => {
  it('keeps the password encrypted in its own file and reads it back', () => {
    const file = path.join(dir, 'a', 'secrets.json');
    const store = keychainSecrets(aesCipher(), file, 'linux');
    expect(store.get('smtpPassword')).toBeNull();
    store.set('smtpPassword', 'Grüezi-Passwort-42');
    expect(store.get('smtpPassword')).toBe('Grüezi-Passwort-42');
    const raw = fs.readFileSync(file);
    expect(raw.includes(Buffer.from('Grüezi-Passwort-42'))).toBe(false);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    store.set('smtpPassword', null);
    expect(store.get('smtpPassword')).toBeNull();
  });

  it('refuses to store where the keychain is only a fixed key (Linux without a keyring)', () => {
    const file = path.join(dir, 'b', 'secrets.json');
    const store = keychainSecrets(aesCipher(undefined, 'basic_text'), file, 'linux');
    expect(() => store.set('smtpPassword', 'x')).toThrow(KontorError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reads a password encrypted under another key (a copied profile) as absent', () => {
    const file = path.join(dir, 'c', 'secrets.json');
    keychainSecrets(aesCipher(), file, 'darwin').set('smtpPassword', 'secret');
    expect(keychainSecrets(aesCipher(), file, 'darwin').get('smtpPassword')).toBeNull();
  });
});
