import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../tests/support/api-test-app.js';
import { storeKinds } from '../../tests/support/test-database.js';
import { idempotencyClaimMs, idempotencyKeepMs, idempotencyRenewMs } from '../queue/idempotency-store.js';
import { ManualClock } from '../queue/manual-clock.js';
import type { Store } from '../stores/store.js';

const t0 = Date.UTC(2026, 0, 5);
const months = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const csvOf = (sku: string) => ['sku,date,sales', ...months(24).map((d, i) => `${sku},${d},${10 + (i % 5)}`)].join('\n') + '\n';
const rows = (sku: string) => months(24).map((date, i) => ({ sku, date, sales: 10 + (i % 5) }));
const jobsBody = (sku = 'A') => ({ data: rows(sku), models: ['naive'] });

function multipart(boundary: string, csv: string, fields: Array<[string, string]> = [['models', 'naive']]) {
  const parts = fields.map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="hist.csv"\r\ncontent-type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
  return { payload: parts.join(''), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * Idempotency-Key on the POSTs that create things (idempotent-route.ts, docs/http-api.md), through
 * the real app on a SQLite file and, with DATABASE_URL, a PostgreSQL schema; time is a ManualClock,
 * the store's (claims and answers age on it) and the routes' (renewals), moved by the tests.
 */
describe.each(storeKinds('Idempotency-Key'))('Idempotency-Key on %s', (kind) => {
  let app: FastifyInstance;
  let store: Store;
  let close: () => Promise<void>;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(t0);
    ({ app, store, close } = await openApiAppOn('idempotency', kind, { clock }));
  });
  afterEach(async () => close());

  const post = (url: string, payload: unknown, key?: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as string, headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers } });
  const datasets = async () => ((await app.inject({ method: 'GET', url: '/api/datasets' })).json() as { datasets: unknown[] }).datasets.length;
  const jobs = async () => (await store.summary()).total;
  const keyRefusal = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().details[0].path).toBe('headers.idempotency-key');
    // In flight: send it again later; used for another request: a new key.
    if (status !== 400) expect(res.json().code).toBe(status === 409 ? 'conflict_retry' : 'idempotency_key_reused');
  };

  it('POST /api/jobs sent again with its key: the first answer byte for byte, Location and Idempotent-Replayed: true, nothing created twice', async () => {
    const first = await post('/api/jobs', jobsBody(), 'cron-2026-01-05');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const created = { datasets: await datasets(), jobs: await jobs() };
    expect(created).toEqual({ datasets: 1, jobs: 1 });
    // The same request, its keys in another order and spaced otherwise: the same request.
    const { models, data } = jobsBody();
    const again = await post('/api/jobs', JSON.stringify({ models, data }, null, 2), 'cron-2026-01-05', { 'content-type': 'application/json' });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect({ datasets: await datasets(), jobs: await jobs() }).toEqual(created);
    // Without a key, a request is new work each time, as ever.
    expect((await post('/api/jobs', jobsBody())).statusCode).toBe(201);
    expect(await datasets()).toBe(2);
  });

  it('the key with another request is a 422 naming it, nothing done; the same key on another route is another key', async () => {
    expect((await post('/api/jobs', jobsBody('A'), 'k-1')).statusCode).toBe(201);
    keyRefusal(await post('/api/jobs', jobsBody('B'), 'k-1'), 422);
    expect(await datasets()).toBe(1);
    const sample = await post('/api/datasets/sample', { skus: 2, createJobs: false }, 'k-1');
    expect(sample.statusCode, sample.body).toBe(201);
    expect(sample.headers['idempotent-replayed']).toBeUndefined();
    expect(await datasets()).toBe(2);
    expect((await post('/api/datasets/sample', { createJobs: false, skus: 2 }, 'k-1')).headers['idempotent-replayed']).toBe('true');
    expect(await datasets()).toBe(2);
  });

  it('a key in flight is a 409 naming it, with Retry-After; a claim whose holder died stops blocking after 5 minutes', async () => {
    // A request that claimed the key and died before it answered (a kill between claim and record).
    await store.claimIdempotencyKey({ scope: 'POST /api/jobs', key: 'k-dead', token: 'dead', claimMs: idempotencyClaimMs, keepMs: idempotencyKeepMs });
    const busy = await post('/api/jobs', jobsBody(), 'k-dead');
    keyRefusal(busy, 409);
    expect(busy.headers['retry-after']).toBe('5'); // for clients that back off on it: the route's own 409s have none
    await clock.advance(idempotencyClaimMs - 1);
    keyRefusal(await post('/api/jobs', jobsBody(), 'k-dead'), 409);
    expect(await datasets()).toBe(0);
    await clock.advance(1);
    const taken = await post('/api/jobs', jobsBody(), 'k-dead');
    expect(taken.statusCode, taken.body).toBe(201);
    expect((await post('/api/jobs', jobsBody(), 'k-dead')).headers['idempotent-replayed']).toBe('true');
    expect(await datasets()).toBe(1);
  });

  it('an upload still being read holds its key, renewed however long it takes: the same key meanwhile is a 409; once answered, a replay', async () => {
    const body = new PassThrough();
    const csv = csvOf('A');
    body.write(csv.slice(0, 40));
    // Told when the first request has claimed its key (the claim comes before the file is read).
    const claim = store.claimIdempotencyKey.bind(store);
    const claimed = new Promise<void>((resolve) => {
      store.claimIdempotencyKey = async (request) => {
        const answer = await claim(request);
        store.claimIdempotencyKey = claim;
        resolve();
        return answer;
      };
    });
    // light-my-request sends when asked for the answer: then() does.
    const first = app.inject({ method: 'POST', url: '/api/datasets?models=naive', payload: body, headers: { 'content-type': 'text/csv', 'idempotency-key': 'upload-1' } }).then((res) => res);
    await claimed;
    const during = await post('/api/datasets?models=naive', csv, 'upload-1', { 'content-type': 'text/csv' });
    keyRefusal(during, 409);
    // Still at work 20 minutes later: renewed every 100 s, its claim is not taken for a dead one.
    // Each renewal is waited for (a PostgreSQL round trip outlasts the clock's settling).
    const renew = store.renewIdempotencyKey.bind(store);
    let renewed: Promise<boolean> = Promise.resolve(false);
    store.renewIdempotencyKey = (ref) => (renewed = renew(ref));
    for (let elapsed = 0; elapsed < 4 * idempotencyClaimMs; elapsed += idempotencyRenewMs) {
      await clock.advance(idempotencyRenewMs);
      expect(await renewed).toBe(true);
    }
    keyRefusal(await post('/api/datasets?models=naive', csv, 'upload-1', { 'content-type': 'text/csv' }), 409);
    body.end(csv.slice(40));
    const answered = await first;
    expect(answered.statusCode, answered.body).toBe(201);
    expect(clock.pendingTimers).toBe(0); // answered: its renewals stopped
    const replay = await post('/api/datasets?models=naive', csv, 'upload-1', { 'content-type': 'text/csv' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(answered.body);
    expect(await datasets()).toBe(1);
  });

  it('an upload is fingerprinted by its options and file, not by its multipart boundary; another file or option is a 422', async () => {
    const first = multipart('boundary-one', csvOf('A'));
    const res = await post('/api/datasets', first.payload, 'm-1', first.headers);
    expect(res.statusCode, res.body).toBe(201);
    const rebuilt = multipart('another-boundary-2', csvOf('A'));
    const replay = await post('/api/datasets', rebuilt.payload, 'm-1', rebuilt.headers);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(res.body);
    const otherFile = multipart('boundary-one', csvOf('B'));
    keyRefusal(await post('/api/datasets', otherFile.payload, 'm-1', otherFile.headers), 422);
    const otherOption = multipart('boundary-one', csvOf('A'), [['models', 'naive,ets']]);
    keyRefusal(await post('/api/datasets', otherOption.payload, 'm-1', otherOption.headers), 422);
    keyRefusal(await post('/api/datasets?models=naive', csvOf('A'), 'm-1', { 'content-type': 'text/csv' }), 422);
    expect(await datasets()).toBe(1);
  });

  it('actuals appended with a key are appended once; another file with the key is a 422', async () => {
    const imported = await post('/api/datasets?models=naive', csvOf('A'), undefined, { 'content-type': 'text/csv' });
    const id = imported.json().datasetId as string;
    const actuals = 'sku,date,sales\nA,2022-01-01,30\nA,2022-02-01,31\n';
    const url = `/api/datasets/${id}/actuals`;
    const first = await post(url, actuals, 'a-1', { 'content-type': 'text/csv' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().actualsId).not.toBeNull();
    const again = await post(url, actuals, 'a-1', { 'content-type': 'text/csv' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const listed = (await app.inject({ method: 'GET', url })).json() as { actuals: unknown[] };
    expect(listed.actuals).toHaveLength(1);
    keyRefusal(await post(url, 'sku,date,sales\nA,2022-01-01,99\n', 'a-1', { 'content-type': 'text/csv' }), 422);
  });

  it('a refused request (4xx) releases its key: the request put right goes through with it', async () => {
    // Refused in the route (after the claim): an unknown dataset.
    const wrong = await post('/api/jobs', { skus: ['A'], models: ['naive'], datasetId: 'nope' }, 'fix-me');
    expect(wrong.statusCode).toBe(400);
    const made = await post('/api/jobs', jobsBody(), 'fix-me');
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['idempotent-replayed']).toBeUndefined();
    // An actuals upload to an unknown dataset (a 404 after the claim): the same.
    const actuals = 'sku,date,sales\nA,2022-01-01,30\n';
    expect((await post('/api/datasets/nope/actuals', actuals, 'fix-4', { 'content-type': 'text/csv' })).statusCode).toBe(404);
    await store.claimIdempotencyKey({ scope: 'POST /api/datasets/nope/actuals', key: 'fix-4', token: 'probe', claimMs: idempotencyClaimMs, keepMs: idempotencyKeepMs })
      .then((claim) => expect(claim).toEqual({ state: 'claimed' }));
    // Refused by the body's schema (before any claim) and by the upload: the same.
    expect((await post('/api/jobs', { models: [] }, 'fix-2')).statusCode).toBe(400);
    expect((await post('/api/datasets?models=naive', 'not,a\ncsv', 'fix-3', { 'content-type': 'text/csv' })).statusCode).toBe(400);
    expect((await post('/api/jobs', jobsBody('B'), 'fix-2')).statusCode).toBe(201);
    expect((await post('/api/datasets?models=naive', csvOf('C'), 'fix-3', { 'content-type': 'text/csv' })).statusCode).toBe(201);
    expect(await datasets()).toBe(3);
  });

  it('keys expire after 24 hours: the same request with the same key is then new work', async () => {
    const first = await post('/api/jobs', jobsBody(), 'daily');
    await clock.advance(idempotencyKeepMs - 1);
    expect((await post('/api/jobs', jobsBody(), 'daily')).headers['idempotent-replayed']).toBe('true');
    await clock.advance(1);
    const later = await post('/api/jobs', jobsBody(), 'daily');
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().datasetId).not.toBe(first.json().datasetId);
    expect(await datasets()).toBe(2);
  });

  it('an invalid key is a 400 naming Idempotency-Key, nothing done', async () => {
    for (const key of ['', 'x'.repeat(256), 'tab\there', 'caf\u00e9']) {
      const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: jobsBody(), headers: { 'idempotency-key': key } });
      keyRefusal(res, 400);
      expect(res.json().error).toContain('Idempotency-Key');
    }
    // é as a client sends it, UTF-8 bytes, which Node hands over one per character: named as é (was U+00C3, its first byte).
    const utf8 = await app.inject({ method: 'POST', url: '/api/jobs', payload: jobsBody(), headers: { 'idempotency-key': Buffer.from('caf\u00e9', 'utf8').toString('latin1') } });
    keyRefusal(utf8, 400);
    expect(utf8.json().details[0].message).toContain('holds U+00E9,');
    keyRefusal(await app.inject({ method: 'POST', url: '/api/jobs', payload: jobsBody(), headers: { 'idempotency-key': ['a', 'b'] } }), 400);
    expect(await datasets()).toBe(0);
    // 255 characters, and the IETF draft's quoted form: the same key as without its quotes.
    expect((await post('/api/jobs', jobsBody(), 'y'.repeat(255))).statusCode).toBe(201);
    expect((await post('/api/jobs', jobsBody('B'), '"quoted-1"')).statusCode).toBe(201);
    expect((await post('/api/jobs', jobsBody('B'), 'quoted-1')).headers['idempotent-replayed']).toBe('true');
  });

  it('concurrent requests with one key create one dataset', async () => {
    const answers = await Promise.all([0, 1, 2, 3].map(() => post('/api/jobs', jobsBody(), 'race')));
    const ran = answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] === undefined);
    expect(ran).toHaveLength(1);
    for (const a of answers) expect([201, 409]).toContain(a.statusCode);
    expect(await datasets()).toBe(1);
  });

  it('the OpenAPI document declares the header on each such route, Idempotent-Replayed on its answer and Retry-After on its 409', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { post: { parameters?: Array<{ in: string; name: string }>; responses: Record<string, { headers?: Record<string, unknown> }> } }>;
    };
    // A 201 also says where the dataset it made is (Location), replay or not.
    for (const [path, ok, headers] of [['/api/jobs', '201', ['Location']], ['/api/datasets', '201', ['Location']], ['/api/datasets/sample', '201', ['Location']], ['/api/datasets/{id}/actuals', '200', []]] as const) {
      const post = doc.paths[path].post;
      expect(post.parameters, path).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key' }));
      expect(Object.keys(post.responses[ok].headers ?? {}), path).toEqual([...headers, 'Idempotent-Replayed']);
      expect(Object.keys(post.responses), path).toEqual(expect.arrayContaining(['409', '422']));
      expect(Object.keys(post.responses['409'].headers ?? {}), path).toEqual(['Retry-After']);
    }
  });
});
