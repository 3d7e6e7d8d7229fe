#!/usr/bin/env node
// The command line runs from its esbuild bundle (build/cli/main.mjs, scripts/build-cli.mjs):
// running the TypeScript sources through tsx cost 1.3–2 s per start, the bundle a fraction
// of that. So that `npx kontor` still always runs exactly the code in this checkout, the
// bundle is rebuilt first whenever a file it was built from has changed (a stat of each,
// well under a millisecond in all) — silently, unless the build fails.
import { pathToFileURL } from 'node:url';
import { buildCli, CLI_ENTRY, staleReason } from '../scripts/build-cli.mjs';

if (staleReason() !== null) {
  try {
    await buildCli();
  } catch (error) {
    // esbuild has printed the errors with their file and line.
    console.error(`kontor: the command line could not be built: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}
await import(pathToFileURL(CLI_ENTRY).href);
