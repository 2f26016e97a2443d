// A stand-in optimization thread for the pool's tests: {spinMs} busy-loops (CPU-bound, deaf to
// messages, like a real fit) posting progress, {started} (a shared word) is set and notified as
// the task begins, {fail} answers with an error, {crash} exits. Each task arrives in the pool's
// envelope {payload, flag}; the flag is claimed as task-flag.ts's startTask does (a .mjs thread
// cannot import the TypeScript), and a withdrawn task is skipped unanswered.
import { getHeapStatistics } from 'node:v8';
import { parentPort, resourceLimits, threadId } from 'node:worker_threads';

parentPort.on('message', ({ payload: task, flag }) => {
  if (Atomics.compareExchange(flag, 0, 0, 1) !== 0) return;
  if (task.crash) process.exit(3);
  if (task.fail) {
    parentPort.postMessage({ type: 'error', error: { name: 'InputDataError', message: task.fail } });
    return;
  }
  if (task.started) {
    // {started}: a shared word the test can Atomics.wait on, set the moment this task begins.
    Atomics.store(task.started, 0, 1);
    Atomics.notify(task.started, 0);
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
