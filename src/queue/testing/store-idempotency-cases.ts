import { expect, it } from 'vitest';
import type { IdempotentResponse } from '../idempotency-store.js';
import { t0, type StoreSuite } from './store-fixtures.js';

const minute = 60_000;
const day = 86_400_000;
const bounds = { claimMs: 5 * minute, keepMs: day };
const scope = 'POST /api/jobs';
const answer: IdempotentResponse = { status: 201, body: '{"batchId":"b-1","datasetId":"ds-1"}', contentType: 'application/json; charset=utf-8', location: '/api/datasets/ds-1' };
const claim = (token: string, key = 'k-1', on = scope) => ({ scope: on, key, token, ...bounds });

/** The API's Idempotency-Key (src/queue/idempotency-store.ts): claim, renew, record, release, prune, and the claim's race. */
export function idempotencyCases(s: StoreSuite): void {
  it('claim takes a free key; a second claim finds it in flight, then its answer once recorded, byte for byte', async () => {
    expect(await s.store.claimIdempotencyKey(claim('t-1'))).toEqual({ state: 'claimed' });
    expect(await s.store.claimIdempotencyKey(claim('t-2'))).toEqual({ state: 'in-flight' });
    expect(await s.store.recordIdempotentResponse({ ...claim('t-1'), fingerprint: 'f-1', response: answer })).toBe(true);
    expect(await s.store.claimIdempotencyKey(claim('t-3'))).toEqual({ state: 'completed', fingerprint: 'f-1', response: answer });
    // Scoped: the same key on another method and path is another key.
    expect(await s.store.claimIdempotencyKey(claim('t-4', 'k-1', 'POST /api/datasets'))).toEqual({ state: 'claimed' });
    // Recorded once: neither a second record nor a release of that claim changes it.
    expect(await s.store.recordIdempotentResponse({ ...claim('t-1'), fingerprint: 'f-2', response: { ...answer, status: 200 } })).toBe(false);
    expect(await s.store.releaseIdempotencyKey(claim('t-1'))).toBe(false);
    expect(await s.store.claimIdempotencyKey(claim('t-5'))).toMatchObject({ state: 'completed', fingerprint: 'f-1' });
  });

  it('release gives the key back for a request sent again; only the claim holding it can record or release it', async () => {
    await s.store.claimIdempotencyKey(claim('t-1'));
    expect(await s.store.releaseIdempotencyKey(claim('other'))).toBe(false);
    expect(await s.store.recordIdempotentResponse({ ...claim('other'), fingerprint: 'f', response: answer })).toBe(false);
    expect(await s.store.releaseIdempotencyKey(claim('t-1'))).toBe(true);
    expect(await s.store.claimIdempotencyKey(claim('t-2'))).toEqual({ state: 'claimed' });
  });

  it('an in-flight claim older than claimMs (its holder died) is taken over; the late holder then records nothing', async () => {
    await s.store.claimIdempotencyKey(claim('dead'));
    s.clock.now = t0 + bounds.claimMs - 1;
    expect(await s.store.claimIdempotencyKey(claim('t-2'))).toEqual({ state: 'in-flight' });
    s.clock.now = t0 + bounds.claimMs;
    expect(await s.store.claimIdempotencyKey(claim('t-3'))).toEqual({ state: 'claimed' });
    expect(await s.store.recordIdempotentResponse({ ...claim('dead'), fingerprint: 'f', response: answer })).toBe(false);
    expect(await s.store.recordIdempotentResponse({ ...claim('t-3'), fingerprint: 'f-3', response: answer })).toBe(true);
    expect(await s.store.claimIdempotencyKey(claim('t-4'))).toMatchObject({ state: 'completed', fingerprint: 'f-3' });
  });

  it("renew starts a claim's age again, only for the claim holding it and while in flight", async () => {
    await s.store.claimIdempotencyKey(claim('slow'));
    s.clock.now = t0 + bounds.claimMs - 1;
    expect(await s.store.renewIdempotencyKey(claim('other'))).toBe(false);
    expect(await s.store.renewIdempotencyKey(claim('slow'))).toBe(true);
    s.clock.now = t0 + 2 * bounds.claimMs - 2;
    expect(await s.store.claimIdempotencyKey(claim('t-2'))).toEqual({ state: 'in-flight' });
    expect(await s.store.recordIdempotentResponse({ ...claim('slow'), fingerprint: 'f', response: answer })).toBe(true);
    expect(await s.store.renewIdempotencyKey(claim('slow'))).toBe(false); // answered: nothing to keep alive
  });

  it('an answer older than keepMs counts as no answer, pruned or not; prune forgets the keys claimed before `before`', async () => {
    await s.store.claimIdempotencyKey(claim('t-1', 'old'));
    await s.store.recordIdempotentResponse({ ...claim('t-1', 'old'), fingerprint: 'f', response: answer });
    await s.store.claimIdempotencyKey(claim('t-2', 'stuck')); // in flight, holder dead
    s.clock.now = t0 + day - 1;
    expect(await s.store.claimIdempotencyKey(claim('t-3', 'old'))).toMatchObject({ state: 'completed' });
    await s.store.claimIdempotencyKey(claim('t-4', 'young'));
    await s.store.recordIdempotentResponse({ ...claim('t-4', 'young'), fingerprint: 'f', response: answer });
    s.clock.now = t0 + day;
    expect(await s.store.claimIdempotencyKey(claim('t-5', 'old'))).toEqual({ state: 'claimed' });
    await s.store.releaseIdempotencyKey(claim('t-5', 'old'));
    expect(await s.store.pruneIdempotencyKeys(t0 + 1)).toBe(1); // 'stuck'; 'old' was released
    expect(await s.store.pruneIdempotencyKeys(t0 + 1)).toBe(0);
    expect(await s.store.claimIdempotencyKey(claim('t-6', 'young'))).toMatchObject({ state: 'completed' });
    expect(await s.store.pruneIdempotencyKeys(t0 + day)).toBe(1);
    expect(await s.store.claimIdempotencyKey(claim('t-7', 'young'))).toEqual({ state: 'claimed' });
  });

  it('of concurrent claims of one free key on several connections, exactly one gets it', async () => {
    const stores = [s.store, await s.another(), await s.another()];
    for (let round = 0; round < 5; round++) {
      const key = `race-${round}`;
      const results = await Promise.all(stores.flatMap((store, i) => [0, 1].map((j) => store.claimIdempotencyKey(claim(`t-${round}-${i}-${j}`, key)))));
      expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'in-flight')).toHaveLength(results.length - 1);
    }
  });
}
