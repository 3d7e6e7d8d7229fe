#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) with tsx: node bin/tsx.js FILE [ARGS].
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bin/tsx.js FILE.ts [ARGS]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(file), ...rest];
await import(pathToFileURL(path.resolve(file)).href);
