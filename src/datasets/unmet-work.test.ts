import { describe, expect, it } from 'vitest';
import type { NewJob } from '../queue/job.js';
import type { WorkInput } from './dataset.js';
import { unmetWork } from './unmet-work.js';

const job = (sku: string, modelId: string, inputHash: string | null, method = 'grid'): NewJob => ({
  datasetId: 'd', sku, modelId, method, reason: 'settings_change', priority: 2, inputHash,
});
const work = (sku: string, modelId: string, status: WorkInput['status'], inputHash: string | null, method = 'grid'): WorkInput => ({
  sku, modelId, method, status, inputHash,
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

  it('a failed or cancelled job covers nothing: only results and open jobs are in workInputs', () => {
    expect(keys(unmetWork([job('A', 'ets', 'a1')], [], unchanged))).toEqual(['A/ets']);
  });

  it('a job without a hash is kept when inputs changed, when its model is new, or when nothing of its method covers it', () => {
    const planned = [job('A', 'ets', null), job('B', 'ets', null), job('C', 'ets', null), job('D', 'croston', null)];
    const existing = [work('A', 'ets', 'completed', null), work('B', 'ets', 'pending', null), work('C', 'ets', 'completed', null, 'mle'), work('D', 'croston', 'completed', null)];
    expect(keys(unmetWork(planned, existing, unchanged))).toEqual(['C/ets']);
    expect(keys(unmetWork(planned, existing, { inputsChanged: false, addedModels: ['croston'] }))).toEqual(['C/ets', 'D/croston']);
    expect(keys(unmetWork(planned, existing, { inputsChanged: true, addedModels: [] }))).toEqual(['A/ets', 'B/ets', 'C/ets', 'D/croston']);
  });
});
