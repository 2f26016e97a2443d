/** A pickup run's figures (ours and BullMQ's, bench-queue.ts), from its sorted times in ms. */
import { quantile, round2 } from './bench-support.js';

export interface PickupFigures {
  p50: number;
  p99: number;
  /** Of which the enqueue call (queue.add for BullMQ), p50 / p99, and from its return to handler start. */
  call_p50: number;
  call_p99: number;
  after_p50: number;
  after_p99: number;
}

export const pickupFiguresOf = (t: { latencies: number[]; enqueueCalls: number[]; afterEnqueue: number[] }): PickupFigures => ({
  p50: round2(quantile(t.latencies, 0.5)), p99: round2(quantile(t.latencies, 0.99)),
  call_p50: round2(quantile(t.enqueueCalls, 0.5)), call_p99: round2(quantile(t.enqueueCalls, 0.99)),
  after_p50: round2(quantile(t.afterEnqueue, 0.5)), after_p99: round2(quantile(t.afterEnqueue, 0.99)),
});
