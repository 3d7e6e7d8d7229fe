import net from 'node:net';

/**
 * A TCP proxy in front of a hub that cuts answers to requests whose path matches `cuts`:
 * after a chosen number of bytes of the answer, both sockets are destroyed — a network that
 * drops, a hub killed mid-answer. `cutAt()` picks the byte offset for each matching answer
 * (null lets it through whole).
 */
export async function cuttingProxy(
  hubUrl: string,
  cuts: RegExp,
  cutAt: () => number | null,
): Promise<{ url: string; cut(): number; close(): Promise<void> }> {
  let done = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    const upstream = net.connect(Number(new URL(hubUrl).port), '127.0.0.1');
    // The request in flight on this kept-alive connection decides whether its answer is cut.
    let limit: number | null = null;
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      const head = /^[A-Z]+ (\S+) HTTP/.exec(chunk.subarray(0, 2048).toString('latin1'));
      if (head) {
        limit = cuts.test(head[1] ?? '') ? cutAt() : null;
        sent = 0;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (limit !== null && sent + chunk.length > limit) {
        client.write(chunk.subarray(0, Math.max(0, limit - sent)));
        done++;
        client.destroy();
        upstream.destroy();
        return;
      }
      sent += chunk.length;
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut: () => done,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
