import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../tests/support/api-test-app.js';
import { storeKinds } from '../../tests/support/test-database.js';
import { idempotencyClaimMs, idempotencyHoldMs, idempotencyKeepMs, idempotencyRenewMs } from '../queue/idempotency-store.js';
import { ManualClock } from '../queue/manual-clock.js';
import type { Store } from '../stores/store.js';
import { fingerprintOf, idempotentRoute, inFlightRetryAfterSeconds } from './idempotent-route.js';

const months = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const jobsBody = () => ({ data: months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) })), models: ['naive'] });
const csv = ['sku,date,sales', ...months(24).map((d, i) => `A,${d},${10 + (i % 5)}`)].join('\n') + '\n';

/** The first createDataset waits, once entered, until `finish()`; later ones go straight through. */
function holdFirstDataset(store: Store) {
  const create = store.createDataset.bind(store);
  let finish!: () => void;
  const released = new Promise<void>((resolve) => (finish = resolve));
  let entered!: () => void;
  const enteredP = new Promise<void>((resolve) => (entered = resolve));
  store.createDataset = async (...args) => {
    store.createDataset = create;
    entered();
    await released;
    return create(...args);
  };
  return { entered: enteredP, finish };
}

/** Counts the renewals and keeps the last one's promise (a PostgreSQL round trip outlasts the clock's settling). */
function watchRenewals(store: Store) {
  const renew = store.renewIdempotencyKey.bind(store);
  const seen = { count: 0, last: Promise.resolve(false) };
  store.renewIdempotencyKey = (ref) => {
    seen.count++;
    return (seen.last = renew(ref));
  };
  return seen;
}

/** Resolves with what the first call of `method` resolved with. */
function firstCall<K extends 'recordIdempotentResponse' | 'releaseIdempotencyKey' | 'claimIdempotencyKey'>(store: Store, method: K): Promise<Awaited<ReturnType<Store[K]>>> {
  const original = (store[method] as (...a: unknown[]) => Promise<never>).bind(store);
  return new Promise((resolve) => {
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      (store as unknown as Record<string, unknown>)[method] = original;
      const answer = await original(...args);
      resolve(answer);
      return answer;
    };
  });
}

/**
 * How long an Idempotency-Key's claim lives (idempotent-route.ts): as long as its handler works,
 * whether its client waits or not, at most idempotencyHoldMs, not past the app's close; and what
 * an answer that is not kept does to it (docs/http-api.md, "Idempotency-Key"). Time is a ManualClock.
 */
describe.each(storeKinds('Idempotency-Key holder'))('an Idempotency-Key holder on %s', (kind) => {
  let app: FastifyInstance;
  let store: Store;
  let close: () => Promise<void>;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 5));
    ({ app, store, close } = await openApiAppOn('idempotency-holder', kind, { clock }));
  });
  afterEach(async () => close());

  const post = (url: string, payload: unknown, key: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as string, headers: { 'idempotency-key': key, ...headers } });
  const datasets = async () => ((await app.inject({ method: 'GET', url: '/api/datasets' })).json() as { datasets: unknown[] }).datasets.length;
  const inFlight = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().details[0].path).toBe('headers.idempotency-key');
    expect(res.headers['retry-after']).toBe(String(inFlightRetryAfterSeconds));
  };
  /** A request over a real connection, its body sent as far as `sent`; the connection is then closed by `hangUp()`. */
  async function connect(path: string, headers: Record<string, string>, body: string, sent = body.length) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const closedOnServer = new Promise<void>((resolve) => app.server.once('request', (_req, res) => res.once('close', resolve)));
    const client = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } });
    client.on('error', () => undefined); // the hang-up is ours
    client.write(body.slice(0, sent));
    if (sent === body.length) client.end();
    return { hangUp: async () => { client.destroy(); await closedOnServer; } };
  }

  it('a client that hangs up during the work does not stop its renewals: past 5 minutes the retry is a 409, then the first answer, one dataset', async () => {
    const work = holdFirstDataset(store);
    const first = await connect('/api/jobs', { 'content-type': 'application/json', 'idempotency-key': 'cron-1' }, JSON.stringify(jobsBody()));
    await work.entered;
    await first.hangUp(); // the client's timeout
    const renewals = watchRenewals(store);
    for (let elapsed = 0; elapsed <= idempotencyClaimMs; elapsed += idempotencyRenewMs) {
      await clock.advance(idempotencyRenewMs);
      expect(await renewals.last).toBe(true);
    }
    inFlight(await post('/api/jobs', jobsBody(), 'cron-1'));
    const recorded = firstCall(store, 'recordIdempotentResponse');
    work.finish();
    expect(await recorded).toBe(true);
    const retry = await post('/api/jobs', jobsBody(), 'cron-1');
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await datasets()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it(`a hung handler renews its key for ${idempotencyHoldMs / 60_000} minutes at most: 5 minutes after its last renewal a retry takes the key over`, async () => {
    const work = holdFirstDataset(store);
    const first = post('/api/jobs', jobsBody(), 'hung').then((res) => res);
    await work.entered;
    const renewals = watchRenewals(store);
    for (let elapsed = 0; elapsed < idempotencyHoldMs; elapsed += idempotencyRenewMs) {
      await clock.advance(idempotencyRenewMs);
      await renewals.last;
    }
    expect(renewals.count).toBe(idempotencyHoldMs / idempotencyRenewMs - 1); // the last at 58:20
    expect(clock.pendingTimers).toBe(0);
    inFlight(await post('/api/jobs', jobsBody(), 'hung'));
    await clock.advance(idempotencyClaimMs - idempotencyRenewMs);
    const retry = await post('/api/jobs', jobsBody(), 'hung');
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    work.finish();
    expect((await first).statusCode).toBe(201); // done twice, as without a key; its answer not kept
    expect(await datasets()).toBe(2);
  });

  it('the app closing stops the renewals of the requests still at work', async () => {
    const work = holdFirstDataset(store);
    const first = post('/api/jobs', jobsBody(), 'closing').then((res) => res);
    await work.entered;
    expect(clock.pendingTimers).toBe(1);
    await app.close();
    expect(clock.pendingTimers).toBe(0);
    work.finish();
    expect((await first).statusCode).toBe(201);
  });

  it('many requests at work at once hold their keys without an EventTarget leak warning (one close listener each)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.message);
    process.on('warning', onWarning);
    const create = store.createDataset.bind(store);
    let finish!: () => void;
    const released = new Promise<void>((resolve) => (finish = resolve));
    let entered = 0;
    store.createDataset = async (...args) => {
      entered++;
      await released;
      return create(...args);
    };
    try {
      const answers = Array.from({ length: 12 }, (_, i) => post('/api/jobs', jobsBody(), `many-${i}`).then((res) => res.statusCode));
      while (entered < 12) await new Promise((resolve) => setImmediate(resolve));
      expect(clock.pendingTimers).toBe(12);
      finish();
      expect(await Promise.all(answers)).toEqual(Array(12).fill(201));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => /MaxListeners|memory leak/i.test(w))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      store.createDataset = create;
    }
  });

  it('a 5xx after the work may have committed keeps the key in flight (409) until it goes stale, then a retry runs the work again', async () => {
    const create = store.createDataset.bind(store);
    store.createDataset = async (...args) => {
      store.createDataset = create;
      await create(...args);
      throw new Error('the answer of the COMMIT was lost');
    };
    const failed = await post('/api/jobs', jobsBody(), 'lost-ack');
    expect(failed.statusCode).toBe(500);
    expect(clock.pendingTimers).toBe(0);
    inFlight(await post('/api/jobs', jobsBody(), 'lost-ack'));
    expect(await datasets()).toBe(1);
    await clock.advance(idempotencyClaimMs);
    const retry = await post('/api/jobs', jobsBody(), 'lost-ack');
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await datasets()).toBe(2);
  });

  it('an upload whose client hangs up before its end gives its key back (nothing was stored): the same key goes through at once', async () => {
    const claimed = firstCall(store, 'claimIdempotencyKey');
    const released = firstCall(store, 'releaseIdempotencyKey');
    const first = await connect('/api/datasets?models=naive', { 'content-type': 'text/csv', 'idempotency-key': 'upload-1' }, csv, 40);
    expect(await claimed).toEqual({ state: 'claimed' });
    await first.hangUp();
    expect(await released).toBe(true);
    const again = await post('/api/datasets?models=naive', csv, 'upload-1', { 'content-type': 'text/csv' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await datasets()).toBe(1);
  });

  it('a 5xx while the upload was still being read gives the key back (the uploads write only once they read the whole body)', async () => {
    const bare = Fastify();
    bare.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
    bare.post('/upload', { ...idempotentRoute(store, { clock, readBody: async () => undefined }) }, async (request) => {
      for await (const _chunk of fingerprintOf(request)!.passing('file', request.body as AsyncIterable<Uint8Array>)) {
        throw new Error('the database went away while the file was read');
      }
    });
    try {
      const res = await bare.inject({ method: 'POST', url: '/upload', payload: csv, headers: { 'content-type': 'text/csv', 'idempotency-key': 'mid-read' } });
      expect(res.statusCode).toBe(500);
      expect(await store.claimIdempotencyKey({ scope: 'POST /upload', key: 'mid-read', token: 'probe', claimMs: idempotencyClaimMs, keepMs: idempotencyKeepMs })).toEqual({ state: 'claimed' });
    } finally {
      await bare.close();
    }
  });
});
