// `npm start [-- --workers N ...]`: installs and builds only what changed (scripts/build-state.mjs),
// then runs `node server.js start` in this same process, so signals reach it directly and a
// restart on a built checkout costs no more than starting Node once.
import { bringUpToDate, root } from './build-state.mjs';

const began = Date.now();
const ran = bringUpToDate();
process.stderr.write(`skucast: ${ran.length ? `did ${ran.join(', ')}` : 'install and build up to date'} (${Date.now() - began} ms)\n`);
process.argv = [process.argv[0], `${root}server.js`, 'start', ...process.argv.slice(2)];
await import('../server.js');
