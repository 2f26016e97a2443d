// A stand-in optimization thread for the pool's tests: {spinMs} busy-loops (CPU-bound, deaf to
// messages, like a real fit) posting progress, {fail} answers with an error, {crash} exits.
import { getHeapStatistics } from 'node:v8';
import { parentPort, resourceLimits, threadId } from 'node:worker_threads';

parentPort.on('message', (task) => {
  if (task.crash) process.exit(3);
  if (task.fail) {
    parentPort.postMessage({ type: 'error', error: { name: 'InputDataError', message: task.fail } });
    return;
  }
  const end = Date.now() + (task.spinMs ?? 0);
  parentPort.postMessage({ type: 'progress', progress: 0 });
  let lastProgress = 0;
  while (Date.now() < end) {
    const progress = Math.floor(((task.spinMs - (end - Date.now())) / task.spinMs) * 100);
    if (progress >= lastProgress + 25) {
      lastProgress = progress;
      parentPort.postMessage({ type: 'progress', progress });
    }
  }
  parentPort.postMessage({ type: 'result', result: { threadId, echo: task.echo ?? null, youngGenerationMb: resourceLimits.maxYoungGenerationSizeMb ?? null, heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20 } });
});
