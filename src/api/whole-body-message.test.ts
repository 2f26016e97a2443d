import { describe, expect, it } from 'vitest';
import { useApiTestApps } from '../../tests/support/api-test-app.js';

describe('a JSON route sent no object says what to send, not zod\'s own types', () => {
  const open = useApiTestApps();

  it.each([
    ['null', 'null', 'the request sent null'],
    ['a number', '5', 'the request sent a JSON number'],
    ['an array', '[1]', 'the request sent a JSON array'],
  ])('PATCH settings with %s answers 400 naming body', async (_what, payload, sent) => {
    const { app, store } = await open();
    const dataset = await app.inject({ method: 'POST', url: '/api/datasets/sample', payload: { skus: 5, createJobs: false } });
    expect(dataset.statusCode, dataset.body).toBe(201);
    const id = dataset.json().datasetId as string;
    const before = await store.getDataset(id);
    const res = await app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details[0]).toEqual({ path: 'body', message: `send a JSON object (${sent})` });
    expect(res.json().error).not.toMatch(/expected object/);
    expect((await store.getDataset(id))!.settings).toEqual(before!.settings);
  });
});
