// Where the SMTP password is kept: never in the SQLite file. The desktop shell hands the core a
// store backed by the OS keychain (electron/app/secrets.ts, Electron's safeStorage); the CLI,
// the web host and tests read it from the environment, where a shell or a service manager put
// it. The core only sees this interface, so it never imports 'electron'.
import { fail } from '#common/errors';

export interface SecretStore {
  /** 'keychain': kept encrypted by the OS (desktop); 'environment': read from a variable, not writable here. */
  readonly kind: 'keychain' | 'environment';
  get(name: SecretName): string | null;
  /** Stores (or, with null, forgets) a secret; the environment store refuses with a sentence saying where it comes from. */
  set(name: SecretName, value: string | null): void;
}

export type SecretName = 'smtpPassword';

/** The variable each secret is read from where there is no keychain. */
export const SECRET_VARIABLES: Record<SecretName, string> = { smtpPassword: 'KONTOR_SMTP_PASSWORD' };

export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    kind: 'environment',
    get: (name) => env[SECRET_VARIABLES[name]] || null,
    set: (name) => fail('mail_password_in_environment', { variable: SECRET_VARIABLES[name] }),
  };
}
