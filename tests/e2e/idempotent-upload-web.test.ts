/**
 * The web app's Idempotency-Key (web/src/api/idempotency-key.ts) in Debian's chromium against a
 * real `node server.js api` and worker: "Load sample dataset" whose answer is lost after the server
 * made the dataset (the request reaches the API, the page gets a network error), pressed again,
 * sends the same key and is answered with the first try's dataset (Idempotent-Replayed), so the
 * server holds one dataset, not two.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, webE2eSessionForSuite } from '../support/web-e2e-session.js';

describe.skipIf(!chromiumAvailable('idempotent-upload'))('an upload pressed again after its answer was lost', () => {
  const session = webE2eSessionForSuite('idempotent-upload', 'en-US');

  it('Load sample again after a dropped answer replays the first dataset: one dataset on the server', async () => {
    const { page } = session;
    const tries: Array<{ key: string | null; status: number | null; replayed: string | null }> = [];
    let first: { datasetId: string } | null = null;
    await page.route('**/api/datasets/sample', async (route) => {
      const key = route.request().headers()['idempotency-key'] ?? null;
      if (tries.length === 0) {
        // The API does the work and answers; the answer never reaches the page.
        const answer = await route.fetch();
        first = (await answer.json()) as { datasetId: string };
        tries.push({ key, status: answer.status(), replayed: answer.headers()['idempotent-replayed'] ?? null });
        await route.abort('connectionreset');
        return;
      }
      const answer = await route.fetch();
      tries.push({ key, status: answer.status(), replayed: answer.headers()['idempotent-replayed'] ?? null });
      await route.fulfill({ response: answer });
    });

    await page.goto(`${session.baseUrl}/upload`);
    const button = page.getByTestId('load-sample');
    await button.click();
    await page.getByRole('alert').first().waitFor();
    expect((await session.getJson('/api/datasets')).datasets.map((d: { id: string }) => d.id)).toEqual([first!.datasetId]);
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await expect.poll(() => tries.length, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain(`/datasets/${first!.datasetId}`);
    await session.shot('replayed');

    expect(tries[0]).toMatchObject({ status: 201, replayed: null });
    expect(tries[0].key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(tries[1]).toEqual({ key: tries[0].key, status: 201, replayed: 'true' });
    const { datasets } = await session.getJson('/api/datasets');
    expect(datasets.map((d: { id: string }) => d.id)).toEqual([first!.datasetId]);
    // The dropped answer is the one console error (the page's failed fetch).
    expect(session.consoleErrors.filter((e) => !/ERR_CONNECTION_RESET|Failed to load resource/.test(e))).toEqual([]);
  }, 180_000);
});
