// `npm run dev`: the development loop. Brings install and the server build up to date, then runs
// side by side (all writing to this terminal, so logs are pretty lines: LOG_FORMAT=auto):
// - tsc --watch, recompiling src/ into dist/ on every save;
// - the API (`node --watch server.js api`), restarted whenever a compiled file it loaded changes;
// - one worker (`node --watch server.js worker --concurrency 1`), restarted the same way;
// - the Vite dev server (web/vite.config.ts) with React fast refresh, proxying /api to the API.
// Ctrl-C stops them all. Open the URL Vite prints (http://localhost:5173/).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bringUpToDate, root } from './build-state.mjs';

bringUpToDate(['install', 'build:server']); // the web app is served by Vite from source
const bin = (name) => join(root, 'node_modules', '.bin', name);
const children = [
  spawn(bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', 'server.js', 'api'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', 'server.js', 'worker', '--concurrency', '1'], { cwd: root, stdio: 'inherit' }),
  spawn(bin('vite'), ['--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' }),
];

let stopping = false;
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
