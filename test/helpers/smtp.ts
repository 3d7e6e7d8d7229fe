// A real SMTP server on loopback (the smtp-server package) for the e-mail tests: it takes a
// login, refuses the recipients a test names, keeps every message it accepted as raw bytes, and
// can be stopped and started again on the same port (the "server was down" case). With `tls`
// it speaks TLS from the first byte (implicit, as on port 465) or offers STARTTLS (as on 587)
// and then refuses a login before the switch, as a careful server does.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  user: string | undefined;
  /** Whether the message came over TLS (implicit or after STARTTLS). */
  secure: boolean;
}

export interface TestSmtp {
  readonly port: number;
  readonly received: Received[];
  readonly logins: { user: string; password: string }[];
  /** Stops listening (the port stays ours: start() listens on it again). */
  stop(): Promise<void>;
  start(): Promise<void>;
  parse(index: number): Promise<ParsedMail>;
}

export interface TestSmtpOptions {
  user?: string;
  password?: string;
  /** Recipients answered with 550, as a server that knows no such mailbox. */
  refuse?: RegExp;
  /** A certificate and its key; `implicit`: TLS from the start, else STARTTLS on a plain port. */
  tls?: { key: Buffer; cert: Buffer; implicit: boolean };
}

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const user = options.user ?? 'kontor';
  const password = options.password ?? 'smtp-secret';
  const received: Received[] = [];
  const logins: { user: string; password: string }[] = [];
  let server: SMTPServer | null = null;
  let port = 0;

  const make = () =>
    new SMTPServer({
      secure: options.tls?.implicit ?? false,
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
      disabledCommands: options.tls ? [] : ['STARTTLS'],
      allowInsecureAuth: !options.tls,
      authOptional: false,
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
        if (auth.username === user && auth.password === password) return callback(null, { user });
        return callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (options.refuse?.test(address.address)) {
          const error = new Error(`No such mailbox: ${address.address}`) as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
            user: typeof session.user === 'string' ? session.user : undefined,
            secure: session.secure,
          });
          callback();
        });
      },
    });

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const s = make();
      server = s;
      s.once('error', reject);
      // A client that hangs up in the TLS handshake (it did not trust the certificate) is an
      // error of that connection, not of the server: the next one is served.
      s.on('error', () => {});
      s.listen(port, '127.0.0.1', () => {
        port = (s.server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      const s = server;
      server = null;
      s.close(() => resolve());
    });
  await start();
  return {
    get port() {
      return port;
    },
    received,
    logins,
    stop,
    start,
    parse: (index) => simpleParser((received[index] as Received).raw),
  };
}
