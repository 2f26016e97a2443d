/**
 * A bare entry for the worker (`node dist/src/worker/worker-main.js --handler noop ...`), used by
 * the cross-process tests and benchmarks where starting the whole CLI is not the point. The
 * user-facing way in is `node server.js worker` (src/cli), which calls the same workerCommand.
 */
import { parseArgs } from 'node:util';
import { workerCommand } from './worker-command.js';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string' },
    'lease-ms': { type: 'string' },
    'shutdown-ms': { type: 'string' },
    'poll-ms': { type: 'string' },
    handler: { type: 'string' },
    'noop-ms': { type: 'string' },
    'worker-id': { type: 'string' },
    'log-level': { type: 'string' },
  },
});

const num = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const handler = values.handler;
if (handler !== undefined && handler !== 'noop' && handler !== 'forecast') {
  console.error(`--handler must be 'forecast' or 'noop', got '${handler}'`);
  process.exit(2);
}

await workerCommand({
  concurrency: num(values.concurrency),
  leaseMs: num(values['lease-ms']),
  shutdownMs: num(values['shutdown-ms']),
  pollMs: num(values['poll-ms']),
  handler,
  noopMs: num(values['noop-ms']),
  workerId: values['worker-id'],
  logLevel: values['log-level'],
});
process.exit(0);
