import { parseArgs } from 'node:util';
import { classify } from '#core/api/failure';
import { defaultDatabaseFile } from '#core/app-paths';
import { translateError } from '#core/i18n/errors';
import { resolveLocale } from '#core/i18n/locale';
import { runBackup, runRestore } from './commands/backup';
import { runCall, runMethods } from './commands/call';
import { runDemo } from './commands/demo';
import { runExport, runPack, runPdf } from './commands/export';
import { runImport } from './commands/import';
import { runInvoices } from './commands/invoices';
import { runOrgs } from './commands/orgs';
import { runPartner } from './commands/partner';
import { runSync } from './commands/sync';
import { runVat } from './commands/vat';
import { runWeb } from './commands/web';
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
  const command = positionals[0];
  switch (command) {
    case 'demo':
      return runDemo(ctx);
    case 'orgs':
      return runOrgs(ctx);
    case 'invoices':
      return runInvoices(ctx);
    case 'export':
      return runExport(ctx);
    case 'pdf':
      return runPdf(ctx);
    case 'pack':
      return runPack(ctx);
    case 'import':
      return runImport(ctx);
    case 'vat':
      return runVat(ctx);
    case 'methods':
      return runMethods(ctx);
    case 'call':
      return runCall(ctx);
    case 'web':
      return runWeb(ctx);
    case 'backup':
      return runBackup(ctx);
    case 'restore':
      return runRestore(ctx);
    case 'partner':
      return runPartner(ctx);
    case 'sync':
      return runSync(ctx);
    case 'hub':
      // Loaded on demand: the hub's PostgreSQL client is no start-up cost for other commands.
      return (await import('./commands/hub')).runHub(ctx);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

// `kontor methods | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`kontor: ${error.message}\n${USAGE.split('\n')[0]}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof CliApiError) {
      process.stderr.write(`kontor: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    // The one classification (core/api/failure.ts), in the caller's language: --locale wins.
    const [code, params] = classify(error, 'kontor', (line) => process.stderr.write(`${line}\n`));
    process.stderr.write(
      `kontor: ${translateError(code, params, resolveLocale(cliLocale(process.argv.slice(2))))}\n`,
    );
    process.exitCode = 1;
  },
);

/** --locale as given on the command line, else the environment's language. */
function cliLocale(argv: string[]): string {
  const at = argv.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  if (at >= 0) return argv[at]?.includes('=') ? (argv[at]?.split('=')[1] ?? 'en') : (argv[at + 1] ?? 'en');
  return process.env.LANG?.slice(0, 2) ?? 'en';
}
