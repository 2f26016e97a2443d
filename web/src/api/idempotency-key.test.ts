import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, inFlightPatienceMs, type FetchLike } from './client.js';
import { createActionKeys, newIdempotencyKey, type RandomSource } from './idempotency-key.js';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  it('is crypto.randomUUID where the page has it, and the same UUID v4 form from getRandomValues where it has not (plain http on a LAN address)', () => {
    const fill = (bytes: Uint8Array<ArrayBuffer>) => globalThis.crypto.getRandomValues(bytes);
    expect(newIdempotencyKey({ randomUUID: () => 'from-random-uuid', getRandomValues: fill } as RandomSource)).toBe('from-random-uuid');
    const insecure = { getRandomValues: fill } as RandomSource;
    const keys = Array.from({ length: 50 }, () => newIdempotencyKey(insecure));
    for (const key of keys) expect(key).toMatch(uuidV4);
    expect(new Set(keys).size).toBe(50);
    const zeros = newIdempotencyKey({ getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => bytes } as RandomSource);
    expect(zeros).toBe('00000000-0000-4000-8000-000000000000');
  });
});

describe('createActionKeys', () => {
  it('keeps an action\'s key while its outcome is unknown (unreachable, 5xx, the key in flight), for the same parts only; lets it go on a definite answer', async () => {
    let n = 0;
    const keys = createActionKeys(() => `k${++n}`);
    const used: string[] = [];
    const fail = (error: unknown) => (key: string) => { used.push(key); return Promise.reject(error); };
    const ok = (key: string) => { used.push(key); return Promise.resolve(key); };
    const inFlight = new ApiError(409, 'busy', { error: 'busy', code: 'conflict_retry', details: [{ path: 'headers.idempotency-key', message: '' }] });
    await keys.send('dataset', ['csv', { name: 'a' }], fail(new ApiError(0, 'unreachable'))).catch(() => undefined);
    await keys.send('dataset', ['csv', { name: 'a' }], fail(new ApiError(504, 'gateway timeout'))).catch(() => undefined);
    await keys.send('dataset', ['csv', { name: 'a' }], fail(inFlight)).catch(() => undefined);
    await keys.send('sample', [undefined], ok); // another action keeps its own key
    await keys.send('dataset', ['csv', { name: 'a' }], ok);
    await keys.send('dataset', ['csv', { name: 'a' }], ok); // answered: the next is new work
    await keys.send('dataset', ['csv', { name: 'a' }], fail(new ApiError(0, 'unreachable'))).catch(() => undefined);
    await keys.send('dataset', ['csv', { name: 'b' }], ok); // other options: new work
    await keys.send('dataset', ['csv', { name: 'b' }], fail(new ApiError(422, 'reused', { error: 'reused', code: 'idempotency_key_reused', details: [] }))).catch(() => undefined);
    await keys.send('dataset', ['csv', { name: 'b' }], ok);
    expect(used).toEqual(['k1', 'k1', 'k1', 'k2', 'k1', 'k3', 'k4', 'k5', 'k6', 'k7']);
  });
});

describe('the client\'s creates', () => {
  const created = () => new Response(JSON.stringify({ datasetId: 'd1' }), { status: 201 });
  const busy = () => new Response(JSON.stringify({ error: 'busy', code: 'conflict_retry', details: [{ path: 'headers.idempotency-key', message: '' }] }), { status: 409, headers: { 'retry-after': '5' } });

  it('every POST that creates carries an Idempotency-Key, the caller\'s or a new one; the dry run none', async () => {
    const sent: Array<[string, string | null]> = [];
    const fetch: FetchLike = async (url, init = {}) => {
      sent.push([url, new Headers(init.headers).get('idempotency-key')]);
      return created();
    };
    const api = createApiClient({ fetch, getToken: () => null });
    await api.uploadDataset('sku,date,qty\n', { name: 'a' });
    await api.uploadDataset(new Blob(['sku,date,qty\n']), { name: 'a' }, 'a.csv', { idempotencyKey: 'mine' });
    await api.uploadDataset('sku,date,qty\n', { dryRun: true });
    await api.sampleDataset(5, { idempotencyKey: 'sample-key' });
    await api.uploadActuals('d1', 'sku,date,qty\n');
    await api.uploadActuals('d1', 'sku,date,qty\n', { dryRun: true });
    expect(sent.map(([url]) => url)).toEqual(['/api/datasets?name=a', '/api/datasets?name=a', '/api/datasets?dryRun=true', '/api/datasets/sample', '/api/datasets/d1/actuals', '/api/datasets/d1/actuals?dryRun=true']);
    expect(sent[0][1]).toMatch(uuidV4);
    expect(sent[1][1]).toBe('mine');
    expect(sent[2][1]).toBeNull();
    expect(sent[3][1]).toBe('sample-key');
    expect(sent[4][1]).toMatch(uuidV4);
    expect(sent[5][1]).toBeNull(); // the actuals' check writes nothing: no key
  });

  it('while the key\'s first request is at work (409), asks again after each Retry-After for at most inFlightPatienceMs, then shows the 409', async () => {
    let calls = 0;
    const waits: number[] = [];
    const api = createApiClient({ fetch: async () => (++calls, busy()), getToken: () => null, wait: async (ms) => void waits.push(ms) });
    const error = await api.sampleDataset(undefined, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).retryAfterSeconds).toBe(5);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(inFlightPatienceMs);
    expect(calls).toBe(inFlightPatienceMs / 5000 + 1);
  });
});
