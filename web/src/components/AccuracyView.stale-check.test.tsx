// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { accuracyFetch, appendAnswer, json, renderAccuracyView } from './accuracy-view-fixture.js';

/** AccuracyView's Apply after the dataset changed since the check (409 naming basedOn); AccuracyView.test.tsx holds the rest. */
const answer = (skusChanged: number, datasetUpdatedAt: number) => ({
  ...appendAnswer({ skusChanged, periodsAdded: skusChanged, jobsCreated: skusChanged }), datasetUpdatedAt,
});
const stale = { error: 'dataset d1 changed since the check; check the file again', code: 'conflict_state', details: [{ path: 'basedOn', message: 'the check was of the dataset as at 100, and it is at 200 now' }] };

afterEach(cleanup);

describe('AccuracyView: Apply after the dataset changed since the check', () => {
  it('a 409 naming basedOn checks the same file with the same options again and shows the new check, saying why; Apply then sends the new basedOn (was: the same stale basedOn, refused forever)', async () => {
    const urls: string[] = [];
    let updatedAt = 100;
    renderAccuracyView(accuracyFetch({
      actuals: (url) => {
        urls.push(url);
        if (url.includes('dryRun=true')) return json({ ...answer(updatedAt === 100 ? 1 : 2, updatedAt), dryRun: true });
        // Another append lands between the first check and Apply.
        if (url.includes('basedOn=100')) {
          updatedAt = 200;
          return json(stale, 409);
        }
        return json(answer(2, 201));
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    fireEvent.click(screen.getByTestId('actuals-absent-zero'));
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [new File(['sku,date,sales\nA,2025-01-01,5\n'], 'jan.csv')] } });
    expect((await screen.findByTestId('actuals-check-summary')).textContent).toMatch(/1 SKU/);
    fireEvent.click(screen.getByTestId('actuals-apply'));
    // The new check, shown with why: not a refusal to press Apply against again.
    expect((await screen.findByTestId('actuals-check-changed')).textContent).toMatch(/The dataset changed since the file was checked/);
    await waitFor(() => expect(screen.getByTestId('actuals-check-summary').textContent).toMatch(/2 SKUs/));
    expect(screen.queryByTestId('actuals-refused')).toBeNull();
    fireEvent.click(screen.getByTestId('actuals-apply'));
    await screen.findByText(/^2 SKUs changed/);
    expect(screen.queryByTestId('actuals-check-changed')).toBeNull();
    expect(urls).toEqual([
      '/api/datasets/d1/actuals?absentSkus=zero&dryRun=true',
      '/api/datasets/d1/actuals?absentSkus=zero&basedOn=100',
      '/api/datasets/d1/actuals?absentSkus=zero&dryRun=true',
      '/api/datasets/d1/actuals?absentSkus=zero&basedOn=200',
    ]);
  });
});
