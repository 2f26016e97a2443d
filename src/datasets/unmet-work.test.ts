import { describe, expect, it } from 'vitest';
import type { NewJob } from '../queue/job.js';
import type { WorkInput } from './dataset.js';
import { classifyUnmetWork, unmetWork } from './unmet-work.js';

const settings = { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95], frequency: 'monthly' };
const job = (sku: string, modelId: string, inputHash: string | null, method = 'grid', s: Record<string, unknown> = settings): NewJob => ({
  datasetId: 'd', sku, modelId, method, reason: 'settings_change', priority: 2, inputHash, settings: s as NewJob['settings'],
});
let ids = 0;
const work = (sku: string, modelId: string, status: WorkInput['status'], inputHash: string | null, method = 'grid', s: Record<string, unknown> = settings, createdAt = 100): WorkInput => ({
  jobId: ++ids, sku, modelId, method, status, inputHash, settings: s, createdAt,
});
const keys = (jobs: NewJob[]) => jobs.map((j) => `${j.sku}/${j.modelId}`);
const unchanged = { inputsChanged: false, addedModels: [] };

describe('unmetWork', () => {
  it('leaves out what a result or an open job covers for the same inputs; keeps what none ever covered', () => {
    const planned = [job('A', 'ets', 'a1'), job('B', 'ets', 'b1'), job('C', 'ets', 'c1'), job('D', 'ets', 'd1')];
    const existing = [work('A', 'ets', 'completed', 'a1'), work('B', 'ets', 'pending', 'b1'), work('C', 'ets', 'running', 'c1')];
    expect(keys(unmetWork(planned, existing, unchanged))).toEqual(['D/ets']);
  });

  it('keeps a job whose result or open job is for other inputs: it replaces a stale forecast, or supersedes a stale job', () => {
    const planned = [job('A', 'ets', 'a2'), job('B', 'ets', 'b1'), job('C', 'ets', 'c1')];
    const existing = [
      work('A', 'ets', 'completed', 'a1'),
      // B's result is current, yet a job for other inputs is open: left alone, it would replace that result.
      work('B', 'ets', 'completed', 'b1'), work('B', 'ets', 'pending', 'b0'),
      // C's open job of another method is other work: the result decides.
      work('C', 'ets', 'completed', 'c1'), work('C', 'ets', 'running', 'c9', 'mle'),
    ];
    expect(keys(unmetWork(planned, existing, unchanged))).toEqual(['A/ets', 'B/ets']);
  });

  it('a failed or cancelled job covers nothing: a failure for exactly this input newer than the result is told apart, out of date and never ran too', () => {
    expect(keys(unmetWork([job('A', 'ets', 'a1')], [work('A', 'ets', 'failed', 'a1')], unchanged))).toEqual(['A/ets']);
    const planned = [job('A', 'ets', 'a2'), job('B', 'ets', 'b2'), job('C', 'ets', 'c2'), job('D', 'ets', 'd2'), job('E', 'ets', null)];
    const existing = [
      work('A', 'ets', 'completed', 'a1'), work('A', 'ets', 'failed', 'a2'), // failed for this input after the result
      work('B', 'ets', 'failed', 'b1'), work('B', 'ets', 'completed', 'b1'), // a failure for other input
      work('C', 'ets', 'failed', 'c2'), // never forecast, failed for this input
      work('E', 'ets', 'failed', null), // a job without a hash failed under the same settings, after its series last changed
    ];
    const c = classifyUnmetWork(planned, existing, unchanged, new Map([['E', 50]]));
    expect([keys(c.outOfDate), keys(c.neverRan), keys(c.failed)]).toEqual([['B/ets'], ['D/ets'], ['A/ets', 'C/ets', 'E/ets']]);
    // E's series changed since that failure: worth another run.
    expect(keys(classifyUnmetWork(planned, existing, unchanged, new Map([['E', 150]])).neverRan)).toEqual(['D/ets', 'E/ets']);
  });

  it('a failure is told apart by its method: a newer failure under another method does not hide one at this input', () => {
    const existing = [
      work('A', 'ets', 'failed', 'a1', 'grid'), // failed for this input, this method
      work('A', 'ets', 'failed', 'x9', 'mle'), // newer, another method
    ];
    expect(keys(classifyUnmetWork([job('A', 'ets', 'a1', 'grid')], existing, unchanged).failed)).toEqual(['A/ets']);
  });

  it('a job without a hash is covered only by a result of the same frozen settings made since its series last changed, or an open job of those settings', () => {
    const planned = [job('A', 'ets', null), job('B', 'ets', null), job('C', 'ets', null), job('D', 'ets', null)];
    const existing = [
      work('A', 'ets', 'completed', null, 'grid', { ...settings, horizon: 6 }), // an old horizon
      work('B', 'ets', 'completed', null, 'grid', settings, 100), // made before B was edited
      work('C', 'ets', 'completed', null), // current
      work('D', 'ets', 'completed', null, 'grid', settings), work('D', 'ets', 'pending', null, 'grid', { ...settings, holdout: 3 }), // an open job of old settings
    ];
    const c = classifyUnmetWork(planned, existing, unchanged, new Map([['B', 200], ['C', 100]]));
    expect(keys(c.all)).toEqual(['A/ets', 'B/ets', 'D/ets']);
    expect(keys(c.outOfDate)).toEqual(['A/ets', 'B/ets', 'D/ets']);
  });

  it('a job without a hash is kept when inputs changed, when its model is new, or when nothing of its method covers it', () => {
    const planned = [job('A', 'ets', null), job('B', 'ets', null), job('C', 'ets', null), job('D', 'croston', null)];
    const existing = [work('A', 'ets', 'completed', null), work('B', 'ets', 'pending', null), work('C', 'ets', 'completed', null, 'mle'), work('D', 'croston', 'completed', null)];
    expect(keys(unmetWork(planned, existing, unchanged))).toEqual(['C/ets']);
    expect(keys(unmetWork(planned, existing, { inputsChanged: false, addedModels: ['croston'] }))).toEqual(['C/ets', 'D/croston']);
    expect(keys(unmetWork(planned, existing, { inputsChanged: true, addedModels: [] }))).toEqual(['A/ets', 'B/ets', 'C/ets', 'D/croston']);
  });
});
