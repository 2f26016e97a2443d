/**
 * The entry of an optimization thread (node:worker_threads). It receives ThreadEnvelopes of
 * {input: ForecastInput} (or a page of profile contributions), skips one the pool took back
 * (TaskFlag), runs the forecast, and posts progress (0..100), then the result as JSON text or the
 * error {name, message}. The pool may post the next task before this one ends: it waits in this
 * thread's message queue and starts as soon as the current one has posted its result.
 * CPU-bound work happens only here, never on the worker's main thread.
 */
import { parentPort } from 'node:worker_threads';
import { forecastSku, slotIndicesThrough, type ForecastInput, type Frequency, type ProfileSeries } from '../forecasting/index.js';
import type { ThreadEnvelope, ThreadMessage } from './thread-pool.js';
import { startTask } from './task-flag.js';
import { progressPoster } from './progress-poster.js';

const port = parentPort;
if (!port) throw new Error('optimization-thread.js must run as a worker thread');

/** A forecast, or a page of SKUs' contributions to a pooled yearly profile (SeasonalProfileSource). */
export type ThreadPayload =
  | { input: ForecastInput }
  | { contributions: { page: ProfileSeries[]; frequency: Frequency; through: string } };

port.on('message', ({ payload: message, flag }: ThreadEnvelope<ThreadPayload>) => {
  if (!startTask(flag)) return; // withdrawn (aborted, or taken by another thread): the pool expects no reply
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
    const result = forecastSku(message.input, progressPoster((progress) => {
      port.postMessage({ type: 'progress', progress } satisfies ThreadMessage);
    }, () => performance.now()));
    // As JSON text: the main thread then copies a string instead of rebuilding the object tree
    // and walking it again to store it (ForecastHandler hands it on as a JsonText).
    reply = { type: 'result', result: JSON.stringify(result) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: 'error', error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
});
