#!/usr/bin/env node
// After `npm install` / `npm ci`: bundle the command line (scripts/build-cli.mjs), so the first
// `npx kontor` starts at once. A failure here never fails the install: bin/kontor.js builds the
// bundle itself when it is missing and then shows what is wrong.
import { buildCli } from './build-cli.mjs';

const started = Date.now();
try {
  const bytes = await buildCli();
  console.log(`[postinstall] command line bundled: build/cli (${(bytes / 1024).toFixed(0)} KiB, ${Date.now() - started} ms)`);
} catch (error) {
  console.warn(
    `[postinstall] the command line could not be bundled now (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); bin/kontor.js will try again on its first start`,
  );
}
