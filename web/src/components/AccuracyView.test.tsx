// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../api/client.js';
import { setFormatLocale } from '../format.js';
import { accuracy, accuracyFetch, accuracyViews, appendAnswer, figures, json, pickAndApply, renderAccuracyView, snapshot } from './accuracy-view-fixture.js';

const saved = vi.hoisted(() => [] as Array<{ name: string }>);
vi.mock('./save-blob.js', () => ({ saveBlob: (_blob: Blob, name: string) => saved.push({ name }) }));

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

describe('AccuracyView', () => {
  it('switching dataset never shows the previous dataset\'s figures while the next one loads, nor asks the new one for its SKUs', async () => {
    const asked: string[] = [];
    const fetch: FetchLike = async (url) => {
      asked.push(url);
      if (url.startsWith('/api/datasets/d1/accuracy')) return json(accuracy);
      if (url.startsWith('/api/datasets/d2/accuracy')) return new Promise<Response>(() => undefined); // still loading
      if (url.endsWith('/snapshots')) return json({ snapshots: [snapshot] });
      return json({}, 404);
    };
    const view = accuracyViews(fetch, { onJobsSubmitted: vi.fn() });
    const { rerender } = render(view('d1'));
    await screen.findByTestId('accuracy-portfolio');
    rerender(view('d2'));
    await waitFor(() => expect(asked.some((u) => u.startsWith('/api/datasets/d2/accuracy'))).toBe(true));
    expect(screen.queryByTestId('accuracy-portfolio')).toBeNull();
    expect(asked.filter((u) => u.startsWith('/api/datasets/d2/') && !u.includes('/accuracy') && !u.endsWith('/snapshots'))).toEqual([]);
  });

  it('by store: asks for the groups and lists each store\'s pooled WAPE beside the WAPE of its total', async () => {
    const asked: string[] = [];
    const byStore = {
      ...accuracy, by: 'store',
      groups: [
        { value: 'North', skus: 2, ...figures(15), summed: { wape: 3.1, bias: 1.2, points: 3 } },
        { value: null, skus: 1, ...figures(8), summed: { wape: 8, bias: -2.5, points: 3 } },
      ],
    };
    renderAccuracyView(accuracyFetch({
      accuracy: (url: string) => {
        asked.push(url);
        return url.includes('by=store') ? byStore : accuracy;
      },
    }), { onJobsSubmitted: vi.fn() });
    await screen.findByTestId('accuracy-portfolio');
    expect(screen.getByTestId('accuracy-summed-wape').textContent).toBe('4.2%');
    expect(screen.queryByTestId('accuracy-groups')).toBeNull();
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Accuracy by'), { target: { value: 'store' } });
    });
    const rows = await screen.findAllByTestId('accuracy-group');
    expect(asked.at(-1)).toContain('by=store');
    // accuracy.csv follows the By choice: the API adds the store column.
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Export accuracy.csv' }));
    });
    await waitFor(() => expect(asked.at(-1)).toMatch(/^\/api\/datasets\/d1\/accuracy\.csv\?.*by=store/));
    expect(saved.at(-1)?.name).toBe('accuracy-3-by-store.csv');
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['North', '2', '15%', '-2.5%', '83.3%', '100%', '3.1%', '1.2%'],
      ['(none)', '1', '8%', '-2.5%', '83.3%', '100%', '8%', '-2.5%'],
    ]);
  });

  it('keeps the title bar short: the append-actuals controls in a panel of their own, the export a button like "Export forecasts.csv" (was: one row that wrapped the title to four lines and scrolled sideways at 1280 and 1024 px)', async () => {
    renderAccuracyView(accuracyFetch(), { onJobsSubmitted: vi.fn() });
    await screen.findByTestId('accuracy-portfolio');
    const actuals = screen.getByRole('region', { name: 'Append actuals' });
    for (const control of [screen.getByTestId('actuals-input'), screen.getByTestId('actuals-absent-zero'), screen.getByTestId('actuals-charset'), screen.getByTestId('actuals-header-row')]) {
      expect(actuals.contains(control)).toBe(true);
    }
    const bar = screen.getByRole('heading', { level: 2, name: 'How did we do' }).parentElement!;
    expect(bar.contains(actuals)).toBe(false);
    const toolbar = screen.getByTestId('accuracy-toolbar');
    expect(toolbar.contains(screen.getByLabelText('Snapshot'))).toBe(true);
    expect(toolbar.contains(screen.getByLabelText('Accuracy by'))).toBe(true);
    const csv = screen.getByRole('button', { name: 'Export accuracy.csv' });
    expect(toolbar.contains(csv)).toBe(true);
    expect(csv.className).toBe('btn');
  });

  it('shows the portfolio tile and the SKUs that missed most, and appends actuals by sending the chosen file', async () => {
    const posted: unknown[] = [];
    const onJobsSubmitted = vi.fn();
    renderAccuracyView(accuracyFetch({
      actuals: (_url, init) => {
        posted.push(init.body);
        return json(appendAnswer({ skusChanged: 2, periodsAdded: 12, valuesRevised: 1, jobsCreated: 10 }));
      },
    }), { onJobsSubmitted });
    setFormatLocale('en-GB');
    await screen.findByTestId('accuracy-portfolio');
    expect(screen.getByTestId('accuracy-portfolio').getAttribute('data-wape')).toBe('12.5');
    // The snapshot's dates in the browser's format, the ISO date kept in the tooltip.
    const from = screen.getByTestId('accuracy-portfolio').querySelector('h3 time')!;
    expect([from.textContent, from.getAttribute('title'), from.getAttribute('datetime')]).toEqual(['1 Jan 2025', '2025-01-01', '2025-01-01']);
    await screen.findByRole('option', { name: /#3/ });
    const option = screen.getByRole('option', { name: /#3/ });
    expect(option.textContent).toMatch(/^#3 · \d{1,2} \w{3} \d{4}, \d{2}:\d{2} · import · from 1 Jan 2025$/);
    expect(option.getAttribute('title')).toBe('forecasts from 2025-01-01, history to 2024-12-01');
    expect(screen.getAllByTestId('missed-sku').map((b) => b.getAttribute('data-sku'))).toEqual(['B', 'A']);
    // All of them shown: the count alone.
    // Sorted by units missed, and says so: each row shows that quantity first (was: WAPE alone, 20% then 5% read as unsorted elsewhere).
    expect(screen.getByTestId('missed-heading').textContent).toBe('SKUs that missed most (2), by units missed');
    // Each SKU's figures sit beside its name, not behind a model name that may be long enough to cut them off.
    // A slow mover's miss below 10 keeps a decimal (was: "missed 0", ranked by it all the same).
    expect(screen.getAllByTestId('missed-figures').map((f) => f.textContent)).toEqual(['missed 9 · WAPE 20% · bias -2.5%', 'missed 0.4 · WAPE 5% · bias -2.5%']);
    const file = new File(['sku,date,sales\nA,2025-01-01,5\n'], 'actuals.csv', { type: 'text/csv' });
    await pickAndApply(file);
    await screen.findByText(/^2 SKUs changed: 12 periods added and 1 value revised; 10 jobs queued\.$/);
    expect(posted).toEqual([file, file]); // the File itself, streamed by the browser: checked, then applied
    await waitFor(() => expect(onJobsSubmitted).toHaveBeenCalledTimes(1));
  });

  it('says how many of the SKUs that missed the list shows when the API sent only the first ones', async () => {
    const many = { ...accuracy, total: 1038 };
    renderAccuracyView(accuracyFetch({ accuracy: many }));
    setFormatLocale('en-US');
    expect((await screen.findByTestId('missed-heading')).textContent).toBe('SKUs that missed most (2 of 1,038), by units missed');
  });

  it('refused actuals show the fields the API named (which columns it looked for and found), not only its first line', async () => {
    const refusal = {
      error: 'could not find the columns: mapping.sku, mapping.date, mapping.quantity',
      details: [{ path: 'mapping.sku', message: 'no column for the SKU: looked for sku, item, product; found foo, bar' }],
    };
    renderAccuracyView(accuracyFetch({ actuals: () => json(refusal, 400) }));
    await screen.findByTestId('accuracy-portfolio');
    const file = new File(['foo;bar\n1;2\n'], 'wrong.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [file] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not find the columns');
    expect(alert.textContent).toContain('looked for sku, item, product; found foo, bar');
  });

  it('a Windows-1252 actuals file: the refusal points to the Encoding select, not to an HTTP parameter, and the choice is sent as charset', async () => {
    const urls: string[] = [];
    const refusal = {
      error: 'the file is not UTF-8: line 2 has the byte 0xE9 (\'é\' in Windows-1252); save it as "CSV UTF-8 (Comma delimited)" in Excel, or declare its encoding (charset=windows-1252 over HTTP, --charset windows-1252 on the command line)',
      details: [{ path: 'file', message: 'not UTF-8 on line 2' }],
    };
    renderAccuracyView(accuracyFetch({
      actuals: (url) => {
        urls.push(url);
        if (!url.includes('charset=windows-1252')) return json(refusal, 400);
        return json(appendAnswer());
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    const latin = new File([new Uint8Array([...new TextEncoder().encode('sku;date;sales\nCaf'), 0xe9, ...new TextEncoder().encode(';2025-01-01;5\n')])], 'jan.csv');
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [latin] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the file is not UTF-8: line 2 has the byte 0xE9');
    expect(alert.textContent).toContain('Choose Encoding "Windows-1252 (Excel, Western Europe)" above');
    expect(alert.textContent).not.toContain('over HTTP');
    expect([...(screen.getByTestId('actuals-charset') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['UTF-8', 'Windows-1252 (Excel, Western Europe)']);
    fireEvent.change(screen.getByTestId('actuals-charset'), { target: { value: 'windows-1252' } });
    await pickAndApply(latin);
    await screen.findByText(/^1 SKU changed/);
    expect(urls).toEqual(['/api/datasets/d1/actuals?dryRun=true', '/api/datasets/d1/actuals?charset=windows-1252&dryRun=true', '/api/datasets/d1/actuals?charset=windows-1252']);
  });

  it("Apply sends the check's datasetUpdatedAt as basedOn, so a dataset changed since the check is refused, not appended unchecked", async () => {
    const urls: string[] = [];
    renderAccuracyView(accuracyFetch({
      actuals: (url) => {
        urls.push(url);
        return json({ ...appendAnswer(), datasetUpdatedAt: 1234 });
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    await pickAndApply(new File(['sku,date,sales\nA,2025-01-01,5\n'], 'jan.csv'));
    await screen.findByText(/^1 SKU changed/);
    expect(urls).toEqual(['/api/datasets/d1/actuals?dryRun=true', '/api/datasets/d1/actuals?basedOn=1234']);
  });

  it('sends the Header on line its warnings point to as headerRow', async () => {
    const urls: string[] = [];
    renderAccuracyView(accuracyFetch({
      actuals: (url) => {
        urls.push(url);
        return json(appendAnswer());
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    fireEvent.change(screen.getByLabelText('Header on line'), { target: { value: '3' } });
    await pickAndApply(new File(['Report\n\nsku,date,sales\nA,2025-01-01,5\n'], 'jan.csv'));
    await screen.findByText(/^1 SKU changed/);
    expect(urls).toEqual(['/api/datasets/d1/actuals?headerRow=3&dryRun=true', '/api/datasets/d1/actuals?headerRow=3']);
  });

  it('actuals whose only period covered in part kept the stored value say so, not just "nothing changed"', async () => {
    renderAccuracyView(accuracyFetch({
      actuals: () => json(appendAnswer({ skusChanged: 0, periodsAdded: 0, jobsCreated: 0 }, { kept: 2 })),
    }));
    await screen.findByTestId('accuracy-portfolio');
    await pickAndApply(new File(['sku,date,sales\n'], 'week-to-date.csv'));
    await screen.findByText('Nothing changed: the stored values were kept. No job queued. Periods the file covers only in part: 2 stored values kept.');
  });

  it('sends absentSkus=zero when "SKUs not in the file sold nothing" is checked, and shows the append\'s warnings (was: only the CLI printed them)', async () => {
    const urls: string[] = [];
    const warning = "9 of the dataset's SKUs have no line in this file (S01-IT001, ...): 9 of them got 0 for the file's periods after their own history (absentSkus=zero); the others' histories already reach those periods";
    renderAccuracyView(accuracyFetch({
      actuals: (url) => {
        urls.push(url);
        return json(appendAnswer({ report: { warnings: [warning] }, skusChanged: 75, periodsAdded: 75, jobsCreated: 375 }));
      },
    }));
    await screen.findByTestId('accuracy-portfolio');
    await pickAndApply(new File(['sku,date,sales\n'], 'jan.csv'));
    // The option named by the checkbox that sets it, not by the API's parameter (was: "(absentSkus=zero)").
    const shown = warning.replace('(absentSkus=zero)', '(“SKUs not in the file sold nothing” was ticked)');
    expect((await screen.findByTestId('actuals-warnings')).textContent).toBe(shown);
    fireEvent.click(screen.getByTestId('actuals-absent-zero'));
    await pickAndApply(new File(['sku,date,sales\n'], 'jan.csv'));
    await waitFor(() => expect(urls).toEqual(['/api/datasets/d1/actuals?dryRun=true', '/api/datasets/d1/actuals', '/api/datasets/d1/actuals?absentSkus=zero&dryRun=true', '/api/datasets/d1/actuals?absentSkus=zero']));
    expect((await screen.findByTestId('actuals-warnings')).textContent).toBe(shown);
  });

  it('says how many provisional values the actuals made final (was: not said at all)', async () => {
    renderAccuracyView(accuracyFetch({
      actuals: () => json(appendAnswer({ skusChanged: 3, periodsAdded: 0, valuesRevised: 2, jobsCreated: 3 }, { settled: 3 })),
    }));
    await screen.findByTestId('accuracy-portfolio');
    await pickAndApply(new File(['sku,date,sales\n'], 'whole-week.csv'));
    await screen.findByText('3 SKUs changed: 2 values revised; 3 jobs queued. 3 provisional values made final.');
  });

  it('says one SKU and one period in the singular', async () => {
    renderAccuracyView(accuracyFetch({ actuals: () => json(appendAnswer({ skusAdded: 1, jobsCreated: 1 }, { settled: 1 })) }));
    await screen.findByTestId('accuracy-portfolio');
    await pickAndApply(new File(['sku,date,sales\n'], 'one.csv'));
    await screen.findByText('1 SKU changed: 1 period added and 1 new SKU; 1 job queued. 1 provisional value made final.');
  });

  it('before any actuals came in it says so, instead of an empty list and a chart "Loading…" forever', async () => {
    const none = { ...accuracy, portfolio: { ...figures(0), wape: null, bias: null, mae: null, points: 0, coverage80: null, coverage95: null }, byStep: [], total: 0, items: [] };
    renderAccuracyView(accuracyFetch({ accuracy: none }));
    await screen.findByTestId('accuracy-portfolio');
    // No actuals yet: no word of a part of a period ("the month to date") that nobody sent.
    expect(screen.getByTestId('accuracy-no-points').textContent).toBe('No actuals appended since this snapshot yet: append the next actuals to see how its forecasts did.');
    expect(screen.queryByTestId('accuracy-chart')).toBeNull();
    expect(document.body.textContent).not.toContain('Loading…');
  });

  it('actuals since the snapshot that cover only part of a period: says so by the dataset\'s period', async () => {
    const actuals = { id: 'a1', datasetId: 'd1', batchId: null, createdAt: 2, markBefore: 12, skusChanged: 2, skusAdded: 0, periodsAdded: 0, valuesRevised: 0, historyEnd: '2025-01-01' };
    const partOnly = { ...accuracy, actuals, portfolio: { ...figures(0), wape: null, bias: null, mae: null, points: 0, coverage80: null, coverage95: null }, byStep: [], total: 0, items: [] };
    renderAccuracyView(accuracyFetch({ accuracy: partOnly }), { frequency: 'weekly' });
    expect((await screen.findByTestId('accuracy-no-points')).textContent).toBe(
      'No whole period of actuals yet for the periods this snapshot forecast: actuals that cover only part of a period (the week to date) are scored once a file covers all of it.',
    );
  });

  it('after the month to date alone, says in plain words why nothing can be scored yet: which days came, of which period (was: an empty view)', async () => {
    setFormatLocale('en-US');
    const actuals = { id: 'a1', datasetId: 'd1', batchId: null, createdAt: 2, markBefore: 12, skusChanged: 4, skusAdded: 0, periodsAdded: 4, valuesRevised: 0, historyEnd: '2026-12-05' };
    const toDate = {
      ...accuracy, actuals, portfolio: { ...figures(0), wape: null, bias: null, mae: null, points: 0, coverage80: null, coverage95: null }, byStep: [], total: 0, items: [],
      provisional: [{ period: '2026-12-01', from: '2026-12-01', to: '2026-12-05', periodDays: 31, skus: 4 }],
    };
    renderAccuracyView(accuracyFetch({ accuracy: toDate }));
    const text = (await screen.findByTestId('accuracy-no-points')).textContent!.replace(/\s/g, ' ');
    expect(text).toBe("Nothing to score yet: the only new actuals are Dec 1 – 5, a month not finished yet (5 of 31 days, 4 SKUs). This snapshot's forecast of that month is scored once a file covers it whole.");
  });

  it('says when the default passed over a newer snapshot that has nothing to score yet', async () => {
    setFormatLocale('en-US');
    const actuals = { id: 'a2', datasetId: 'd1', batchId: null, createdAt: 3, markBefore: 20, skusChanged: 4, skusAdded: 0, periodsAdded: 4, valuesRevised: 0, historyEnd: '2026-12-05' };
    const newer = { ...snapshot, id: 4, mark: 20, cause: 'actuals', historyEnd: '2025-01-01', forecastStart: '2025-02-01' };
    renderAccuracyView(accuracyFetch({ snapshots: [newer, snapshot], accuracy: { ...accuracy, actuals, provisional: [] } }));
    expect((await screen.findByTestId('accuracy-default-note')).textContent).toBe(
      'Shown: the newest snapshot with whole periods of actuals to score. The newer #4 (forecasts from Feb 1, 2025) has none yet; pick it above to see why.',
    );
  });

  it('names a snapshot by where most of its SKUs\' forecasts start, and how many start earlier (was: "from Jan 1, 2026" when 48 of 49 started in February)', async () => {
    setFormatLocale('en-US');
    const held = { ...snapshot, historyEnd: '2025-12-01', forecastStart: '2026-01-01' };
    const starts = [{ period: '2026-01-01', skus: 1 }, { period: '2026-02-01', skus: 48 }];
    renderAccuracyView(accuracyFetch({
      snapshots: [held],
      accuracy: { ...accuracy, snapshot: held, starts, startsLabel: '2026-02-01 (1 SKU from 2026-01-01)', provisional: [] },
    }));
    expect((await screen.findByTestId('accuracy-starts')).textContent).toBe('Feb 1, 2026 (1 SKU from Jan 1, 2026)');
    await waitFor(() => expect(screen.getByRole('option', { name: /#3/ }).textContent).toMatch(/from Feb 1, 2026 \(1 SKU from Jan 1, 2026\)$/));
  });

  it('one start: the snapshot\'s forecastStart, as before', async () => {
    setFormatLocale('en-US');
    renderAccuracyView(accuracyFetch({ accuracy: { ...accuracy, starts: [{ period: '2025-01-01', skus: 2 }], startsLabel: '2025-01-01', provisional: [] } }));
    expect((await screen.findByTestId('accuracy-portfolio')).querySelector('h3')!.textContent).toContain('forecasts from Jan 1, 2025) against');
    expect(screen.queryByTestId('accuracy-starts')).toBeNull();
    expect(screen.getByTestId('accuracy-portfolio').querySelector('h3 time')!.getAttribute('dateTime')).toBe('2025-01-01');
  });
});
