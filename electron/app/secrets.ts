// The SMTP password on the desktop: encrypted by the OS keychain through Electron's safeStorage
// (Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux) and kept, encrypted, in a
// file of its own in the user-data folder — never in the SQLite file, which is backed up,
// copied and synced. The core receives it as a SecretStore (core/services/mail/secrets.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { fail } from '#common/errors';
import type { SecretName, SecretStore } from '#core/services/mail/secrets';

/** What this needs of safeStorage (the whole object is passed in main.ts). */
export type Cipher = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

export const SECRETS_FILE_NAME = 'secrets.json';

export function keychainSecrets(
  cipher: Cipher,
  file: string,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  // On Linux without a keyring safeStorage falls back to a hard-coded key ('basic_text'):
  // that is not a keychain, so nothing is stored rather than something protected in name only.
  const usable = () =>
    cipher.isEncryptionAvailable() &&
    !(platform === 'linux' && cipher.getSelectedStorageBackend?.() === 'basic_text');
  const read = (): Partial<Record<SecretName, string>> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      return {};
    }
  };
  return {
    kind: 'keychain',
    get(name) {
      const stored = read()[name];
      if (!stored || !usable()) return null;
      try {
        return cipher.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        // Encrypted under another user's or machine's key (a copied profile): as if absent.
        return null;
      }
    },
    set(name, value) {
      if (value !== null && !usable()) fail('mail_keychain_unavailable');
      const all = read();
      if (value === null) delete all[name];
      else all[name] = cipher.encryptString(value).toString('base64');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const part = `${file}.part`;
      fs.writeFileSync(part, JSON.stringify(all), { mode: 0o600 });
      fs.renameSync(part, file);
    },
  };
}
