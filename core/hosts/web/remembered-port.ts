import fs from 'node:fs';
import path from 'node:path';

// The web host's port, kept between starts next to the database so that a bookmark of the
// bare address (the second-tab cookie lets it in after the token link was opened) keeps
// pointing at Kontor. Per database folder: two data folders are two Kontors on two ports.

export function rememberedPortFile(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'web-host.json');
}

/** The last port, or undefined when there is none or the file is not ours to trust. */
export function readRememberedPort(file: string): number | undefined {
  try {
    const port: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))?.port;
    return typeof port === 'number' && Number.isInteger(port) && port >= 1024 && port <= 65535
      ? port
      : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only folder costs the next start its old port, nothing more. */
export function rememberPort(file: string, port: number): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ port })}\n`);
    fs.renameSync(temporary, file);
  } catch {
    // The port is a convenience; failing to keep it must not stop the host.
  }
}
