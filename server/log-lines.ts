// The hub's log on stderr, one JSON object per line (server/main.ts). A write to a pipe is
// synchronous in Node on Linux and costs a system call: two lines per push (`push.applying`,
// `request`) were 7 % of a hub process's CPU under 100 pushing devices. So the lines of one
// turn of the event loop go out in one write, at the end of that turn (setImmediate: before
// the process waits for I/O again, so a line is out by the time the work it announces waits
// on the database), and whatever is left when the process exits is written then.

let pending: string[] = [];
let scheduled = false;
let hooked = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stderr.write(text);
}

/** Queues one log line for stderr (written within this turn of the event loop). */
export function stderrLine(line: string): void {
  pending.push(`${line}\n`);
  if (!hooked) {
    hooked = true;
    process.on('exit', flush);
  }
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
