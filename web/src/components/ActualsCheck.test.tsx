// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { setFormatLocale } from '../format.js';
import { AccuracyView } from './AccuracyView.js';

/**
 * "Append actuals…" checks the file before anything is written (POST .../actuals?dryRun=true) and
 * shows the check, with the new SKUs and the rejected rows named and a loud warning for a file
 * that only rewrites history; Apply sends the real request, Cancel sends nothing. Before, the
 * file was appended the moment it was picked (an old full-history export revised 706 values).
 */
const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt: 1, historyEnd: '2026-11-29', forecastStart: '2026-12-06', forecastEnd: '2027-01-31', skuCount: 30, skusWithForecast: 30, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null };
const figures = { wape: 10, bias: -2.5, mae: 4, points: 6, coverage80: 83.3, coverage95: 100 };
const accuracy = { snapshot, actuals: null, portfolio: figures, byStep: [], total: 0, summed: { wape: 4.2, bias: -2.5, points: 3 }, by: null, attributes: [], groups: [], items: [] };
const partial = { provisional: 0, kept: 0, settled: 0, values: [] };
const none = { skus: 0, earliest: null, periodsBack: null, onlyHistory: false, old: false };

/** actuals_kw49.csv as the API answers it (a date with a letter O, A-1001's only line; a mistyped A-1O02), with a line of no date too. */
const kw49 = {
  report: {
    warnings: ["1 of the dataset's SKUs has lines in this file that were all rejected (A-1001 line 3): its history is left as it was; correct those lines and send them again"],
    rejectedCount: 2, rejected: [{ line: 3, reason: "date '6.12.2O26' does not parse" }, { line: 31, reason: 'date is empty' }],
    // As the API sends them: the empty date's group first (rejected as read), the bad date's after (rejected at the end).
    rejectedReasons: [{ reason: 'date is empty', count: 1, lines: [31], example: 'date is empty' }, { reason: 'date does not parse', count: 1, lines: [3], example: "date '6.12.2O26' does not parse" }],
  },
  skusChanged: 28, skusAdded: 1, periodsAdded: 28, valuesRevised: 0, revisions: [], partial,
  newSkus: ['A-1O02'], absent: { count: 2, skus: ['A-1002', 'A-1011'], zeroed: 0 }, rejectedSkus: { count: 1, skus: [{ sku: 'A-1001', line: 3 }] }, revised: none,
};

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

function renderWith(answer: (url: string) => object): { posts: string[]; onJobsSubmitted: ReturnType<typeof vi.fn> } {
  const posts: string[] = [];
  const onJobsSubmitted = vi.fn();
  const fetch: FetchLike = async (url, init = {}) => {
    if (url.startsWith('/api/datasets/d1/actuals') && init.method === 'POST') {
      posts.push(url);
      const dryRun = url.includes('dryRun=true');
      return new Response(JSON.stringify({ ...answer(url), ...(dryRun ? { dryRun: true, actualsId: null, jobsCreated: 0 } : { actualsId: 'act_1', jobsCreated: 135 }) }), { status: 200 });
    }
    if (url === '/api/datasets/d1/snapshots') return new Response(JSON.stringify({ snapshots: [snapshot] }), { status: 200 });
    if (url.startsWith('/api/datasets/d1/accuracy')) return new Response(JSON.stringify(accuracy), { status: 200 });
    return new Response('{}', { status: 404 });
  };
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={new QueryClient()}>
        <AccuracyView datasetId="d1" onJobsSubmitted={onJobsSubmitted} />
      </QueryClientProvider>
    </ApiProvider>,
  );
  return { posts, onJobsSubmitted };
}

const pick = (name: string) => fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [new File(['Artikelnummer;Woche;Menge\n'], name)] } });

describe('Append actuals: the check, then Apply or Cancel', () => {
  it('checks the file first, naming the new SKU and the rejected rows; nothing is appended until Apply, which sends the file for real', async () => {
    setFormatLocale('en-US');
    const { posts, onJobsSubmitted } = renderWith(() => kw49);
    await screen.findByTestId('accuracy-portfolio');
    pick('actuals_kw49.csv');
    const check = await screen.findByTestId('actuals-check');
    expect(check.textContent).toContain('Check of actuals_kw49.csv');
    expect(screen.getByTestId('actuals-check-summary').textContent).toBe(
      'This file would change 28 SKUs: 28 periods added and 1 new SKU (A-1O02). Nothing is written until you apply it. '
      + "2 rows rejected: date '6.12.2O26' does not parse (line 3); date is empty (line 31). "
      + 'Every line of 1 SKU was rejected: A-1001 (line 3); it is left as it was, not given 0. Correct its lines and send them again.',
    );
    expect(screen.getByTestId('actuals-check-new').textContent).toBe('1 SKU is not in the dataset and would be added: A-1O02. A mistyped code? Cancel, correct the file and pick it again.');
    expect(screen.queryByTestId('actuals-check-alarm')).toBeNull();
    expect(posts).toEqual(['/api/datasets/d1/actuals?dryRun=true']);
    expect(onJobsSubmitted).not.toHaveBeenCalled();
    expect(screen.queryByTestId('actuals-notice')).toBeNull();

    fireEvent.click(screen.getByTestId('actuals-apply'));
    const notice = await screen.findByTestId('actuals-notice');
    expect(notice.textContent).toBe('28 SKUs changed: 28 periods added and 1 new SKU (A-1O02); 135 jobs queued. '
      + "2 rows rejected: date '6.12.2O26' does not parse (line 3); date is empty (line 31). "
      + 'Every line of 1 SKU was rejected: A-1001 (line 3); it is left as it was, not given 0. Correct its lines and send them again.');
    expect(posts).toEqual(['/api/datasets/d1/actuals?dryRun=true', '/api/datasets/d1/actuals']);
    expect(screen.queryByTestId('actuals-check')).toBeNull();
    await waitFor(() => expect(onJobsSubmitted).toHaveBeenCalledTimes(1));
  });

  it('a new code that looks like a dataset SKU says which: A-1O02 (new: did you mean A-1002?), not repeated in the warnings', async () => {
    setFormatLocale('en-US');
    const hint = "1 new SKU looks like one of the dataset's: A-1O02 (new: did you mean A-1002?); it would be added as a new SKU: if mistyped, correct the file and send it again";
    renderWith(() => ({ ...kw49, newSkusLike: [{ sku: 'A-1O02', like: 'A-1002' }], report: { ...kw49.report, warnings: [...kw49.report.warnings, hint] } }));
    await screen.findByTestId('accuracy-portfolio');
    pick('actuals_kw49.csv');
    expect((await screen.findByTestId('actuals-check-new')).textContent).toBe('1 SKU is not in the dataset and would be added: A-1O02 (new: did you mean A-1002?). A mistyped code? Cancel, correct the file and pick it again.');
    expect(screen.getByTestId('actuals-check-warnings').textContent).not.toContain('did you mean');
    expect(screen.queryByTestId('actuals-check-nothing')).toBeNull();
  });

  it('a file already applied: the check says plainly that it changes nothing, and Apply stays allowed', async () => {
    setFormatLocale('en-US');
    const again = {
      ...kw49, report: { warnings: ['this file changes nothing: every value in it is already stored (applied before?)'], rejectedCount: 0, rejected: [], rejectedReasons: [] },
      skusChanged: 0, skusAdded: 0, periodsAdded: 0, valuesRevised: 0, newSkus: [], newSkusLike: [], absent: { count: 0, skus: [], zeroed: 0 }, rejectedSkus: { count: 0, skus: [] },
    };
    renderWith(() => again);
    await screen.findByTestId('accuracy-portfolio');
    pick('actuals_kw49.csv');
    expect((await screen.findByTestId('actuals-check-nothing')).textContent).toBe('This file changes nothing: every value in it is already stored (applied before?). Applying it would write nothing.');
    expect(screen.queryByTestId('actuals-check-warnings')).toBeNull();
    expect((screen.getByTestId('actuals-apply') as HTMLButtonElement).disabled).toBe(false);
  });

  it('an old full-history export: the check warns loudly that it only rewrites history, and Cancel sends nothing more', async () => {
    setFormatLocale('en-US');
    const old = {
      ...kw49, report: { warnings: [], rejectedCount: 0, rejected: [], rejectedReasons: [] }, skusChanged: 5, skusAdded: 0, periodsAdded: 0, valuesRevised: 706,
      newSkus: [], rejectedSkus: { count: 0, skus: [] }, revised: { skus: 5, earliest: '2024-01-07', periodsBack: 149, onlyHistory: true, old: true },
    };
    const { posts, onJobsSubmitted } = renderWith(() => old);
    await screen.findByTestId('accuracy-portfolio');
    pick('bad_date.csv');
    const alarm = await screen.findByTestId('actuals-check-alarm');
    expect(alarm.getAttribute('role')).toBe('alert');
    expect(alarm.textContent).toBe("This file adds no new period: it only rewrites history, 706 stored values of 5 SKUs, back to Jan 7, 2024 (149 periods before the dataset's last). Is it an old or full-history export? Apply it only if these values are meant to replace the stored ones.");
    expect(screen.getByTestId('actuals-check-summary').textContent).toBe('This file would change 5 SKUs: 706 stored values revised. Nothing is written until you apply it.');
    fireEvent.click(screen.getByTestId('actuals-cancel'));
    expect(screen.queryByTestId('actuals-check')).toBeNull();
    expect(posts).toEqual(['/api/datasets/d1/actuals?dryRun=true']);
    expect(onJobsSubmitted).not.toHaveBeenCalled();
  });

  it('revisions older than the last few periods, with new periods too, are warned about as well; an option changed cancels the check', async () => {
    setFormatLocale('en-US');
    const { posts } = renderWith(() => ({ ...kw49, valuesRevised: 12, revised: { skus: 3, earliest: '2026-06-07', periodsBack: 25, onlyHistory: false, old: true } }));
    await screen.findByTestId('accuracy-portfolio');
    pick('kw49_and_more.csv');
    expect((await screen.findByTestId('actuals-check-alarm')).textContent).toMatch(/^This file revises 12 stored values of 3 SKUs, back to Jun 7, 2026 \(25 periods before the dataset's last\), further back than new actuals usually restate\./);
    fireEvent.click(screen.getByTestId('actuals-absent-zero'));
    expect(screen.queryByTestId('actuals-check')).toBeNull();
    expect(posts).toEqual(['/api/datasets/d1/actuals?dryRun=true']);
  });
});
