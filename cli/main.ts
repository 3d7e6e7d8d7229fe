import { parseArgs } from 'node:util';
import { defaultDatabaseFile } from '#core/app-paths';
import { CliApiError, USAGE, UsageError } from './usage';

export interface CliContext {
  dbFile: string;
  locale: string;
  args: string[];
  out: (line: string) => void;
  err: (line: string) => void;
}

async function main(argv: string[]): Promise<number> {
  // Global options come before the command; everything after it belongs to the command.
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      locale: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: false,
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const commandAt = argv.indexOf(positionals[0] as string);
  const ctx: CliContext = {
    dbFile: typeof values.db === 'string' ? values.db : defaultDatabaseFile(),
    locale: cliLocale(argv),
    args: argv.slice(commandAt + 1),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  const command = positionals[0] as string;
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new UsageError(`unknown command: ${command}`);
  return (await load())(ctx);
}

type Command = (ctx: CliContext) => Promise<number>;

/**
 * Each command's module is imported only when it runs: `kontor --help` loads nothing but this
 * file, `kontor vat check` no database, and the libraries of one command (the hub's PostgreSQL
 * client, the web host, the demo generator) are no start-up cost for the others. In the bundle
 * (scripts/build-cli.mjs) every entry here becomes a chunk of its own.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./commands/demo')).runDemo,
  orgs: async () => (await import('./commands/orgs')).runOrgs,
  invoices: async () => (await import('./commands/invoices')).runInvoices,
  export: async () => (await import('./commands/export')).runExport,
  pdf: async () => (await import('./commands/export')).runPdf,
  einvoice: async () => (await import('./commands/export')).runEinvoice,
  pack: async () => (await import('./commands/export')).runPack,
  import: async () => (await import('./commands/import')).runImport,
  vat: async () => (await import('./commands/vat')).runVat,
  methods: async () => (await import('./commands/call')).runMethods,
  call: async () => (await import('./commands/call')).runCall,
  web: async () => (await import('./commands/web')).runWeb,
  backup: async () => (await import('./commands/backup')).runBackup,
  restore: async () => (await import('./commands/backup')).runRestore,
  partner: async () => (await import('./commands/partner')).runPartner,
  renew: async () => (await import('./commands/renew')).runRenew,
  reminders: async () => (await import('./commands/reminders')).runReminders,
  send: async () => (await import('./commands/send')).runSend,
  sync: async () => (await import('./commands/sync')).runSync,
  hub: async () => (await import('./commands/hub')).runHub,
};

// `kontor methods | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  async (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`kontor: ${error.message}\n${USAGE.split('\n')[0]}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof CliApiError) {
      // Refused by the router: already translated in the caller's language.
      process.stderr.write(`kontor: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`kontor: ${await describe(error)}\n`);
    process.exitCode = 1;
  },
);

/** --locale as given on the command line (it wins), else the environment's language. */
function cliLocale(argv: string[]): string {
  const at = argv.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  if (at >= 0) return argv[at]?.includes('=') ? (argv[at]?.split('=')[1] ?? 'en') : (argv[at + 1] ?? 'en');
  return process.env.LANG?.slice(0, 2) ?? 'en';
}

/**
 * What failed outside the router (opening the store, a command's own code), classified the
 * one way every door does (core/api/failure.ts): a code the person can act on, or `internal`
 * with its stack in the log. The catalogs load only when there is something to say.
 */
async function describe(error: unknown): Promise<string> {
  const { classify } = await import('#core/api/failure');
  const { translateError } = await import('#common/i18n/errors');
  const { resolveLocale } = await import('#common/i18n/locale');
  const [code, params] = classify(error, 'kontor', (line) => process.stderr.write(`${line}\n`));
  return translateError(code, params, resolveLocale(cliLocale(process.argv.slice(2))));
}
