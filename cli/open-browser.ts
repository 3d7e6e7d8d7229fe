import { spawn } from 'node:child_process';

/**
 * Whether opening a browser is wanted here: a person at a terminal (stdout is a TTY), not CI
 * and not a test run, and on Linux a graphical session (xdg-open without one may start a text
 * browser in this very terminal).
 */
export function browserWanted(
  env: NodeJS.ProcessEnv = process.env,
  isTty = process.stdout.isTTY === true,
  platform = process.platform,
): boolean {
  if (!isTty || env.CI || env.VITEST || env.NODE_ENV === 'test' || env.KONTOR_NO_BROWSER) return false;
  if (platform === 'linux') return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  return platform === 'darwin' || platform === 'win32';
}

/** Opens `url` in the default browser when wanted; true when the opener was started. */
export function openInBrowser(url: string): boolean {
  if (!browserWanted()) return false;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    // No opener installed: the link printed above is the way in; nothing to report.
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
