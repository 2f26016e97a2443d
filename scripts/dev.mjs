// `npm run dev`: the development loop. Brings install and the server build up to date, then runs
// side by side (all writing to this terminal, so logs are pretty lines: LOG_FORMAT=auto):
// - tsc --watch, recompiling src/ into dist/ on every save;
// - the API (`node --watch server.js api`), restarted whenever a compiled file it loaded changes;
// - one worker (`node --watch server.js worker --concurrency 1`), restarted the same way;
// - the Vite dev server (web/vite.config.ts) with React fast refresh, proxying /api to that API
//   (its PORT and HOST, so `PORT=3005 npm run dev` works; SKUCAST_API_URL to proxy elsewhere).
// Ctrl-C stops them all. Open the URL Vite prints (http://localhost:5173/).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bringUpToDate, root } from './build-state.mjs';
import { devApiUrl } from './dev-api-url.mjs';
import { devApiSpawn } from './dev-api.mjs';
import { devWorkerSpawn } from './dev-worker.mjs';

bringUpToDate(['install', 'build:server']); // the web app is served by Vite from source
// The settings as the API will read them: a bad one stops here, named, before anything starts.
const { settings, ConfigError } = await import(pathToFileURL(join(root, 'dist/src/config/env.js')).href);
let apiUrl;
try {
  apiUrl = devApiUrl(settings(), process.env.SKUCAST_API_URL);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`skucast: ${error.message}\n`);
  process.exit(1);
}
const bin = (name) => join(root, 'node_modules', '.bin', name);
const api = devApiSpawn(process.env); // marked supervised: see dev-api.mjs
const worker = devWorkerSpawn(process.env); // marked supervised: see dev-worker.mjs
const children = [
  spawn(bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, api.args, { cwd: root, stdio: 'inherit', env: api.env }),
  spawn(process.execPath, worker.args, { cwd: root, stdio: 'inherit', env: worker.env }),
  spawn(bin('vite'), ['--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, SKUCAST_API_URL: apiUrl } }),
];

let stopping = false;
// SIGINT is forwarded too, although a Ctrl-C already reached every child through the terminal's
// process group: a SIGINT sent to this process alone (npm forwards the one it gets to it) would
// otherwise leave the children running and this process waiting on them. The API and the worker
// take the extra copies as the same stop (SKUCAST_SUPERVISED: api-server.ts's window, worker-command.ts).
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
for (const child of children) {
  child.on('exit', (code) => {
    // One part gone (tsc or vite failed to start, a port taken): stop the rest instead of half a loop.
    if (!stopping && code !== 0) stopAll('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(stopping ? 0 : code ?? 1);
  });
}
