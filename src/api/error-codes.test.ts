import { describe, expect, it } from 'vitest';
import { newJob, useApiTestApps, type ApiTestApp } from '../../tests/support/api-test-app.js';
import { errorCodes } from './errors.js';

const start = useApiTestApps();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Asked { method: Method; url: string; payload?: string | object; headers?: Record<string, string> }

/** The answer's status and `code`, with the shape every error body has. */
async function refusal(t: ApiTestApp, asked: Asked): Promise<{ status: number; code: unknown }> {
  const res = await t.app.inject(asked);
  const body = res.json();
  expect(body, `${asked.method} ${asked.url}`).toEqual({ error: expect.any(String), code: expect.any(String), details: expect.any(Array) });
  expect(errorCodes, `${asked.method} ${asked.url}: ${res.body}`).toContain(body.code);
  return { status: res.statusCode, code: body.code };
}

describe('every error body carries a code to branch on', () => {
  it('400 invalid_request: a schema refusal, an unknown query parameter, malformed JSON, an undecodable URL', async () => {
    const t = await start();
    for (const asked of [
      { method: 'POST', url: '/api/jobs', payload: { models: ['ets'] } },
      { method: 'GET', url: '/api/jobs/status?bogus=1' },
      { method: 'POST', url: '/api/jobs', payload: '{"skus": [', headers: { 'content-type': 'application/json' } },
      { method: 'GET', url: '/api/jobs/abc' },
      { method: 'GET', url: '/api/%c0%ae' },
    ] satisfies Asked[]) {
      expect(await refusal(t, asked), asked.url).toEqual({ status: 400, code: 'invalid_request' });
    }
  });

  it('401 unauthorized, missing or wrong token', async () => {
    const t = await start({ apiToken: 'tok' });
    expect(await refusal(t, { method: 'GET', url: '/api/jobs/status' })).toEqual({ status: 401, code: 'unauthorized' });
    expect(await refusal(t, { method: 'POST', url: '/api/jobs/reset', headers: { authorization: 'Bearer no' } })).toEqual({ status: 401, code: 'unauthorized' });
  });

  it("404 not_found: an unknown route (Fastify's not-found handler) and an unknown id", async () => {
    const t = await start();
    expect(await refusal(t, { method: 'GET', url: '/api/nope' })).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(t, { method: 'GET', url: '/api/jobs/424242' })).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(t, { method: 'GET', url: '/api/datasets/nope' })).toEqual({ status: 404, code: 'not_found' });
  });

  it('409 conflict_state: a job already in a state the verb refuses', async () => {
    const t = await start();
    const { firstId } = await t.store.enqueue([newJob()], { batchId: 'b' });
    await t.store.cancel({ ids: [firstId!] });
    expect(await refusal(t, { method: 'POST', url: `/api/jobs/${firstId}/cancel` })).toEqual({ status: 409, code: 'conflict_state' });
  });

  it('413 payload_too_large, 415 unsupported_media_type', async () => {
    const t = await start({ bodyLimitBytes: 1024 });
    const big = { skus: ['A'], models: ['ets'], reason: 'x'.repeat(4096) };
    expect(await refusal(t, { method: 'POST', url: '/api/jobs', payload: big })).toEqual({ status: 413, code: 'payload_too_large' });
    const xml = { method: 'POST', url: '/api/jobs', payload: '<jobs/>', headers: { 'content-type': 'application/xml' } } satisfies Asked;
    expect(await refusal(t, xml)).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('503 unavailable when the database is gone; 500 internal for a bug', async () => {
    const t = await start();
    t.store.listDatasets = async () => { throw new Error('a bug'); };
    expect(await refusal(t, { method: 'GET', url: '/api/datasets' })).toEqual({ status: 500, code: 'internal' });
    await t.store.close();
    expect(await refusal(t, { method: 'GET', url: '/api/jobs/status' })).toEqual({ status: 503, code: 'unavailable' });
  });
});
