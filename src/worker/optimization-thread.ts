/**
 * The entry of an optimization thread (node:worker_threads). It receives {input: ForecastInput},
 * runs the forecast, and posts progress (0..100), then the result or the error {name, message}.
 * CPU-bound work happens only here, never on the worker's main thread.
 */
import { parentPort } from 'node:worker_threads';
import { forecastSku, type ForecastInput } from '../forecasting/index.js';
import type { ThreadMessage } from './thread-pool.js';

const port = parentPort;
if (!port) throw new Error('optimization-thread.js must run as a worker thread');

port.on('message', (message: { input: ForecastInput }) => {
  let reply: ThreadMessage;
  try {
    let lastPosted = -1;
    const result = forecastSku(message.input, (fraction) => {
      const progress = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      // Posting is cheap but not free: only whole-percent changes cross the thread boundary.
      if (progress !== lastPosted) {
        lastPosted = progress;
        port.postMessage({ type: 'progress', progress } satisfies ThreadMessage);
      }
    });
    reply = { type: 'result', result };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: 'error', error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
});
