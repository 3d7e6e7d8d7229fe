import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Kontor';

/**
 * The same folder Electron's app.getPath('userData') uses for this product name, computed
 * without Electron so the CLI and the web host open the very database the desktop app does.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KONTOR_HOME) return path.resolve(env.KONTOR_HOME);
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

export function defaultDatabaseFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.KONTOR_DB ? path.resolve(env.KONTOR_DB) : path.join(userDataDir(env), 'kontor.sqlite');
}
