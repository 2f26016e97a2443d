import { describe, expect, it } from 'vitest';
import type { DatasetProgress } from '../datasets/planning-cycle-store.js';
import { RecordingLogger } from '../queue/testing/runner-harness.js';
import type { Store } from '../stores/store.js';
import { SnapshotTrigger } from './snapshot-trigger.js';

/**
 * The trigger's own modes, over a store whose datasetProgress the test answers by hand (the
 * snapshot itself and its races on real stores: store-planning-cycle-cases.ts, tests/e2e/planning-cycle.test.ts).
 */
class ProgressStore {
  readonly asked: string[] = [];
  private pending: Array<{ resolve: (p: DatasetProgress) => void; reject: (e: Error) => void }> = [];

  datasetProgress = (datasetId: string): Promise<DatasetProgress> => {
    this.asked.push(datasetId);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  /** Answers the oldest question: the dataset still has open jobs (no snapshot due). */
  answerOpen(): void {
    this.pending.shift()!.resolve({ open: true, lastJobId: 7, mark: 7, lastJobReason: 'dataset_upload', lastBatchId: 'b', snapshotMark: null });
  }

  fail(): void {
    this.pending.shift()!.reject(new Error('connection reset'));
  }

  get waiting(): number {
    return this.pending.length;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SnapshotTrigger', () => {
  it('runs one check per dataset at a time: settles during a check ask for exactly one more', async () => {
    const store = new ProgressStore();
    const trigger = new SnapshotTrigger(store as unknown as Store, new RecordingLogger(), 'w1');
    trigger.settled('d1');
    trigger.settled('d1');
    trigger.settled('d1');
    trigger.settled('d2');
    trigger.settled(null);
    expect(store.asked).toEqual(['d1', 'd2']);
    store.answerOpen();
    store.answerOpen();
    while (store.waiting === 0 && store.asked.length < 3) await tick();
    expect(store.asked).toEqual(['d1', 'd2', 'd1']);
    store.answerOpen();
    await trigger.idle();
    expect(store.asked).toEqual(['d1', 'd2', 'd1']);
  });

  it('logs a failed check and carries on: it never throws into the settle, and the next settle checks again', async () => {
    const store = new ProgressStore();
    const logger = new RecordingLogger();
    const trigger = new SnapshotTrigger(store as unknown as Store, logger, 'w1');
    expect(() => trigger.settled('d1')).not.toThrow();
    store.fail();
    await trigger.idle();
    expect(logger.events('snapshot')).toMatchObject([{ level: 'warn', obj: { datasetId: 'd1', err: expect.stringContaining('connection reset') } }]);
    trigger.settled('d1');
    expect(store.asked).toEqual(['d1', 'd1']);
    store.answerOpen();
    await trigger.idle();
  });
});
