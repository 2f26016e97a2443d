#!/usr/bin/env node
// The seed's entry point: `node server.js api`, `node server.js worker`, `node server.js start`, ...
// A thin launcher of the compiled CLI (src/cli), so both names work after `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('./dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('skucast: not built yet. Run `npm run build` (or `npm start`, which installs and builds).');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
