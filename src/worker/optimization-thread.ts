/**
 * The entry of an optimization thread (node:worker_threads). It receives {input: ForecastInput},
 * runs the forecast, and posts progress (0..100), then the result or the error {name, message}.
 * CPU-bound work happens only here, never on the worker's main thread.
 */
import { parentPort } from 'node:worker_threads';
import { forecastSku, slotIndicesThrough, type ForecastInput, type Frequency, type ProfileSeries } from '../forecasting/index.js';
import type { ThreadMessage } from './thread-pool.js';

const port = parentPort;
if (!port) throw new Error('optimization-thread.js must run as a worker thread');

/** A forecast, or a page of SKUs' contributions to a pooled yearly profile (SeasonalProfileSource). */
export type ThreadPayload =
  | { input: ForecastInput }
  | { contributions: { page: ProfileSeries[]; frequency: Frequency; through: string } };

/**
 * A fit posts progress only once it has run this long, and then at most this often. A default
 * fit of a SKU takes milliseconds and reported once per grid candidate (75 for damped_trend): each
 * post wakes the main thread, and the first one of a job wrote its row (ProgressThrottle writes a
 * job's first report at once). Such a job now completes without a progress write; a long fit
 * still shows its progress (the runner writes at most one per job per 250 ms anyway).
 */
const PROGRESS_POST_MS = 200;

port.on('message', (message: ThreadPayload) => {
  let reply: ThreadMessage;
  if ('contributions' in message) {
    try {
      const { page, frequency, through } = message.contributions;
      reply = { type: 'result', result: page.map((s) => slotIndicesThrough(s, frequency, through)) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { type: 'error', error: { name: e.name, message: e.message } };
    }
    port.postMessage(reply);
    return;
  }
  try {
    let lastPosted = -1;
    let lastPostAt = performance.now();
    const result = forecastSku(message.input, (fraction) => {
      const progress = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      if (progress === lastPosted) return;
      const now = performance.now();
      if (now - lastPostAt < PROGRESS_POST_MS) return;
      lastPosted = progress;
      lastPostAt = now;
      port.postMessage({ type: 'progress', progress } satisfies ThreadMessage);
    });
    reply = { type: 'result', result };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: 'error', error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
});
