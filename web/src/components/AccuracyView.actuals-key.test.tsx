// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../api/client.js';
import { accuracy, accuracyFetch, accuracyViews, appendAnswer, json, renderAccuracyView, snapshot } from './accuracy-view-fixture.js';

/** AccuracyView's actuals upload and its Idempotency-Key (api/idempotency-key.ts); AccuracyView.test.tsx holds the rest. */
const appended = appendAnswer();

afterEach(cleanup);

describe('AccuracyView: appending actuals', () => {
  it('Apply pressed again after an answer that never came carries the same Idempotency-Key (the API replays the first append instead of appending twice); another file a new key; the check (dryRun) none', async () => {
    const keys: Array<string | null> = [];
    const checkKeys: Array<string | null> = [];
    let drop = true;
    renderAccuracyView(accuracyFetch({
      actuals: (url, init) => {
        if (url.includes('dryRun=true')) {
          checkKeys.push(new Headers(init.headers).get('idempotency-key'));
          return json({ ...appended, dryRun: true });
        }
        keys.push(new Headers(init.headers).get('idempotency-key'));
        if (drop) {
          drop = false;
          throw new TypeError('Failed to fetch'); // the connection dropped: appended or not, the app cannot tell
        }
        return json(appended);
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    const pick = (name: string) => new File(['sku,date,sales\nA,2025-01-01,5\n'], name, { type: 'text/csv', lastModified: 7 });
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [pick('jan.csv')] } });
    fireEvent.click(await screen.findByTestId('actuals-apply'));
    await screen.findByRole('alert');
    // The check stays after a lost answer: Apply again is the same append.
    fireEvent.click(screen.getByTestId('actuals-apply'));
    await screen.findByText(/^1 SKU changed/);
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [pick('feb.csv')] } });
    fireEvent.click(await screen.findByTestId('actuals-apply'));
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(checkKeys).toEqual([null, null]);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('a check made on one dataset is dropped when another is chosen: nothing of its file is ever sent to the other', async () => {
    const appends: string[] = [];
    const fetch: FetchLike = async (url, init = {}) => {
      const m = /^\/api\/datasets\/(d[12])\/(.*)$/.exec(url);
      if (!m) return json({}, 404);
      const [, id, rest] = m;
      if (rest.startsWith('actuals') && init.method === 'POST') {
        if (url.includes('dryRun=true')) return json({ ...appended, dryRun: true });
        appends.push(id);
        return json(appended);
      }
      if (rest === 'snapshots') return json({ snapshots: [{ ...snapshot, datasetId: id }] });
      if (rest.startsWith('accuracy')) return json({ ...accuracy, snapshot: { ...snapshot, datasetId: id } });
      return json({}, 404);
    };
    const view = accuracyViews(fetch);
    const { rerender } = render(view('d1'));
    await screen.findByTestId('accuracy-portfolio');
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [new File(['sku,date,sales\nA,2025-01-01,5\n'], 'd1.csv', { type: 'text/csv' })] } });
    await screen.findByTestId('actuals-apply');
    rerender(view('d2'));
    await waitFor(() => expect(screen.queryByTestId('actuals-apply')).toBeNull());
    expect(appends).toEqual([]);
  });
});
