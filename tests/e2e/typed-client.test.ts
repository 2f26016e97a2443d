/**
 * The README's integrator example, as written: openapi-fetch over the generated `paths`
 * (web/src/api/schema.d.ts) against a real listening API with a token.
 */
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../../web/src/api/schema.js';
import { openApiTestApp, type ApiTestApp } from '../support/api-test-app.js';

const token = 'integrator-token-5678';
let t: ApiTestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await openApiTestApp({ apiToken: token });
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => t?.close());

describe('the typed client an integrator uses', () => {
  it('creates jobs and reads their status, typed end to end', async () => {
    const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
    const sample = await fetch(`${baseUrl}/api/datasets/sample`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"skus": 3}' });
    expect(sample.status).toBeLessThan(300);
    const { datasetId } = (await sample.json()) as { datasetId: string };
    const page = await api.GET('/api/datasets/{id}/skus', { params: { path: { id: datasetId }, query: { limit: 2, sort: 'sku' } } });
    // Every answer is typed from the document, dataset routes too: no cast between the API and this code.
    expect(page.data?.total).toBe(3);
    const [a, b] = page.data!.items.map((i) => i.sku);
    const { data, error } = await api.POST('/api/jobs', { body: { skus: [a, b], models: ['croston'], reason: 'manual_trigger' } });
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(data?.jobsCreated).toBe(2);
    const { data: status } = await api.GET('/api/jobs/status', { params: { query: { batchId: data?.batchId ?? undefined } } });
    expect(status?.total).toBe(2);
    expect(status?.jobs.map((j) => j.modelId)).toEqual(['croston', 'croston']);
    const refused = await api.POST('/api/jobs', { body: { skus: [a], models: ['no-such-model'] } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.details.map((d) => d.path)).toContain('models[0]');
    const missing = await api.GET('/api/datasets/{id}', { params: { path: { id: 'no-such-dataset' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error).toBe("no dataset 'no-such-dataset'");
    const anonymous = await createClient<paths>({ baseUrl }).GET('/api/jobs/status');
    expect(anonymous.response.status).toBe(401);
  });
});
