#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so `npx kontor` always runs exactly the
// code in this checkout: no separate build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
