import type { CliContext } from './main';

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI logs). */
export function progressBar(ctx: CliContext, total: number, label: string) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let last = 0;
  const draw = (done: number) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label} (${Math.round(rate)}/s)`,
    );
  };
  return {
    update(done: number) {
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      draw(done);
    },
    done() {
      if (tty) {
        draw(total);
        process.stderr.write('\n');
      }
      void ctx;
    },
  };
}
