/**
 * The planning cycle in the web app: Debian's chromium (playwright-core) against a real `node
 * server.js api` and `node server.js worker` on a temporary SQLite database. Real M3 series are
 * forecast; the planner appends six months of actuals in "How did we do"; the portfolio tile shows
 * the WAPE the forecasts shown before give on those actuals (computed here independently), the
 * SKUs that missed most, and a SKU's earlier forecast drawn over the actuals. Screenshots go to
 * test-output/planning-cycle/. Any console error on the page fails the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actualsCsv, historyCsv, m3Monthly, monthOf } from '../support/m3-planning-data.js';
import { pollUntil } from '../support/skucast-process.js';
import { chromiumAvailable, webE2eSessionForSuite } from '../support/web-e2e-session.js';

const models = 'damped_trend,seasonal_naive,simple_exponential_smoothing';

describe.skipIf(!chromiumAvailable('planning-cycle'))('planning cycle in the web app', () => {
  // An English locale: the downloads' dialect (comma, decimal point) follows the browser's language.
  const session = webE2eSessionForSuite('planning-cycle', 'en-US');
  const { shot, getJson, drained } = session;

  it('appends actuals in "How did we do" and shows the earlier forecast against them', async () => {
    const { baseUrl, page, consoleErrors } = session;
    const series = m3Monthly(12);
    const changed = series.slice(0, 8);
    const created = await fetch(`${baseUrl}/api/datasets?models=${models}&name=M3%20monthly`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: historyCsv(series) });
    expect(created.status).toBe(201);
    const datasetId = (await created.json()).datasetId as string;
    await drained();
    const before = (await getJson(`/api/datasets/${datasetId}/forecasts?limit=100`)).items as Array<{ sku: string; forecast: { dates: string[]; mean: number[] } }>;

    await page.goto(`${baseUrl}/#/accuracy`);
    await page.getByTestId('accuracy-view').waitFor();
    // The snapshot of the forecasts just made, with no actuals after it yet.
    await expect.poll(() => page.getByTestId('accuracy-portfolio').getAttribute('data-points'), { timeout: 20_000 }).toBe('0');
    await shot('01-before-actuals');

    // The file input behind "Append actuals…" is hidden: reached by the keyboard, its label shows the focus.
    const appendFocused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'actuals-input');
    for (let i = 0; i < 30 && !(await appendFocused()); i++) await page.keyboard.press('Tab');
    expect(await appendFocused()).toBe(true);
    const ring = await page.getByTestId('actuals-input').evaluate((input) => getComputedStyle(input.closest('label')!).outlineStyle);
    expect(ring).not.toBe('none');

    const file = actualsCsv(changed, 6);
    await page.getByTestId('actuals-input').setInputFiles({ name: 'actuals.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    // The file is checked first (nothing written): applied from its check.
    await page.getByTestId('actuals-apply').click({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('actuals-notice').textContent(), { timeout: 15_000 }).toContain('8 SKUs changed');
    await shot('02-actuals-appended');
    await drained();

    let abs = 0;
    let sum = 0;
    for (const s of changed) {
      const shown = before.find((i) => i.sku === s.id)!.forecast;
      for (let k = 0; k < 6; k++) {
        expect(shown.dates[k]).toBe(monthOf(50 + k));
        abs += Math.abs(s.test[k] - shown.mean[k]);
        sum += Math.abs(s.test[k]);
      }
    }
    const wape = Math.round((100_000 * abs) / sum) / 1000;
    const tile = page.getByTestId('accuracy-portfolio');
    await expect.poll(() => tile.getAttribute('data-wape'), { timeout: 20_000 }).toBe(String(wape));
    expect(await tile.getAttribute('data-points')).toBe('48');
    await expect.poll(() => page.getByTestId('missed-sku').count(), { timeout: 10_000 }).toBe(8);
    // At 1280 px the list is narrow and the model a long combination: each SKU's WAPE and bias stay in view.
    for (const row of await page.getByTestId('missed-sku').all()) {
      const button = (await row.boundingBox())!;
      const figures = (await row.getByTestId('missed-figures').boundingBox())!;
      expect(figures.x + figures.width).toBeLessThanOrEqual(button.x + button.width);
    }
    const chart = page.getByTestId('accuracy-chart');
    await expect.poll(async () => Number(await chart.getByTestId('forecast-chart').getAttribute('data-forecast-points')), { timeout: 15_000 }).toBeGreaterThan(0);
    // The history drawn now runs through the new actuals; the forecast drawn is the earlier one.
    expect(Number(await chart.getByTestId('forecast-chart').getAttribute('data-history-points'))).toBe(56);
    await shot('03-how-did-we-do');

    const third = page.getByTestId('missed-sku').nth(2);
    const sku = (await third.getAttribute('data-sku'))!;
    await third.click();
    await expect.poll(() => chart.getAttribute('data-sku')).toBe(sku);
    const shownMean = before.find((i) => i.sku === sku)!.forecast.mean.slice(0, 6).map((v) => v.toFixed(3)).join(',');
    await expect.poll(() => chart.getByTestId('forecast-chart').getAttribute('data-forecast-mean'), { timeout: 10_000 }).toBe(shownMean);
    await chart.scrollIntoViewIfNeeded();
    await shot('04-sku-earlier-forecast-over-actuals');
    // Opened on the 24 months up to the snapshot's history end (month 49) and the 6 scored after, not
    // all 56 (review-planner finding 12); Reset zoom shows the whole history.
    const drawn = chart.getByTestId('forecast-chart');
    await expect.poll(() => drawn.getAttribute('data-x-from'), { timeout: 10_000 }).toBe(monthOf(26));
    await chart.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => drawn.getAttribute('data-x-from')).toBe(monthOf(0));

    // The same file again: nothing changes, no job.
    const total = (await getJson('/api/jobs/status?limit=1')).summary;
    await page.getByTestId('actuals-input').setInputFiles({ name: 'actuals.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    // The file is checked first (nothing written): applied from its check.
    await page.getByTestId('actuals-apply').click({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('actuals-notice').textContent(), { timeout: 15_000 }).toContain('Nothing changed');
    expect((await getJson('/api/jobs/status?limit=1')).summary).toEqual(total);
    await shot('05-same-file-again');

    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('after the month to date alone: the notice names its days, How did we do says why nothing is scored, the SKU chart draws the days apart from the history line', async () => {
    const { baseUrl, page, consoleErrors } = session;
    const series = m3Monthly(3);
    const created = await fetch(`${baseUrl}/api/datasets?models=${models}&name=Month%20to%20date`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: historyCsv(series) });
    expect(created.status).toBe(201);
    const datasetId = (await created.json()).datasetId as string;
    await drained();
    // Days 1 to 5 of the month after the history, daily.
    const month = monthOf(50).slice(0, 8);
    let file = 'sku,date,sales\n';
    for (const s of series) for (let d = 1; d <= 5; d++) file += `${s.id},${month}0${d},${Math.round(s.test[0] / 30)}\n`;

    await page.goto(`${baseUrl}/datasets/${datasetId}/accuracy`);
    await page.getByTestId('accuracy-view').waitFor();
    await page.getByTestId('actuals-input').setInputFiles({ name: 'month-to-date.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    // The file is checked first (nothing written): applied from its check.
    await page.getByTestId('actuals-apply').click({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('actuals-notice').textContent(), { timeout: 15_000 }).toMatch(/^3 SKUs changed: 3 periods added; (no job|\d+ jobs?) queued(, \d+ forecasts? unchanged \(same inputs\))?\. Only part of a month: .+ \(5 of 3[01] days\); 3 SKUs have it as provisional until a file covers the whole month\.$/);
    await drained();
    await expect.poll(() => page.getByTestId('accuracy-no-points').textContent(), { timeout: 20_000 }).toMatch(/^Nothing to score yet: the only new actuals are .+, a month not finished yet \(5 of 3[01] days, 3 SKUs\)\./);
    await shot('06-month-to-date-nothing-to-score');

    await page.goto(`${baseUrl}/datasets/${datasetId}/skus/${encodeURIComponent(series[0].id)}`);
    const chart = page.locator('.sku-detail').getByTestId('forecast-chart');
    await expect.poll(() => chart.getAttribute('data-partial'), { timeout: 15_000 }).toBe(`${month}01`);
    await expect.poll(() => page.locator('.sku-detail .chart-legend').textContent()).toMatch(/so far \(5 of 3[01] days\)/);
    await shot('07-month-to-date-sku-chart');
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('uploads a store x item file with a composite key in the upload page, then shows totals by store with the same chart', async () => {
    const { baseUrl, page, consoleErrors } = session;
    // Four items, each sold in all three stores: the item alone would sum three stores into one series.
    const series = m3Monthly(12);
    let csv = 'store,item,month,units\n';
    series.forEach((s, i) => s.train.forEach((v, k) => (csv += `S${1 + (i % 3)},I${Math.floor(i / 3)},${monthOf(k)},${v}\n`)));
    const before = (await getJson('/api/datasets')).datasets.map((d: { id: string }) => d.id);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Upload data' }).click();
    await page.getByTestId('file-input').setInputFiles({ name: 'stores.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const skuCount = page.locator('.import-report dt', { hasText: /^SKUs$/ }).locator('xpath=following-sibling::dd');
    await expect.poll(() => skuCount.textContent(), { timeout: 15_000 }).toBe('4');
    await page.getByRole('checkbox', { name: 'store in the SKU key', exact: true }).check();
    await expect.poll(() => page.getByTestId('key-picker').locator('legend').textContent()).toBe('One SKU per store and item');
    await expect.poll(() => skuCount.textContent(), { timeout: 15_000 }).toBe('12');
    await shot('06-upload-composite-key');
    await page.getByTestId('confirm-upload').click();
    const datasetId = await pollUntil('the dataset to be created', async () => {
      const list = await getJson('/api/datasets');
      return list.datasets.find((d: { id: string }) => !before.includes(d.id))?.id as string | undefined;
    }, 60_000, 200);
    const skus = await getJson(`/api/datasets/${datasetId}/skus?limit=100`);
    expect(skus.total).toBe(12);
    const s2i1 = skus.items.find((i: { sku: string }) => i.sku === 'S2 / I1');
    expect(s2i1?.attributes).toEqual({ store: 'S2', item: 'I1' });
    await drained();
    const api = await getJson(`/api/datasets/${datasetId}/aggregates?by=store`);
    // Each store's history is the sum of its own four series, nothing from the other stores.
    const s2History = api.groups.find((g: { value: string }) => g.value === 'S2').history.original as number[];
    const expected = series[0].train.map((_, k) => series.filter((_, i) => i % 3 === 1).reduce((sum, s) => sum + s.train[k], 0));
    expect(s2History.slice(-expected.length)).toEqual(expected);

    await page.goto(`${baseUrl}/#/totals`);
    await page.reload(); // only the hash changed: load the app again, with the new dataset in its list
    await page.getByLabel('Dataset').selectOption(datasetId);
    await page.getByTestId('aggregates-view').waitFor();
    await page.getByLabel('Total by').selectOption('store');
    await expect.poll(() => page.getByTestId('aggregate-group').count(), { timeout: 10_000 }).toBe(4); // all + three stores
    await page.getByTestId('aggregate-group').filter({ hasText: 'S2' }).click();
    const chart = page.getByTestId('aggregate-chart');
    await expect.poll(() => chart.getAttribute('data-value')).toBe('S2');
    const s2 = api.groups.find((g: { value: string }) => g.value === 'S2');
    await expect.poll(() => chart.getByTestId('forecast-chart').getAttribute('data-forecast-mean'), { timeout: 10_000 })
      .toBe(s2.forecast.mean.slice(0, 6).map((v: number) => v.toFixed(3)).join(','));
    expect(await chart.getByTestId('forecast-chart').getAttribute('data-has-intervals')).toBe('true');
    await shot('07-totals-by-store');
    // totals.csv: the same figures, downloaded from the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('aggregates-csv').click()]);
    expect(download.suggestedFilename()).toBe('totals-by-store.csv');
    const text = readFileSync(await download.path(), 'utf8');
    // A byte order mark first, so Excel reads it as UTF-8 (spreadsheet-csv.ts).
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = text.slice(1).trimEnd().split('\n').map((l) => l.split(','));
    expect(rows[0].slice(0, 4)).toEqual(['by', 'value', 'date', 'kind']);
    const s2Forecast = rows.filter((r) => r[0] === 'store' && r[1] === 'S2' && r[3] === 'forecast').map((r) => Number(r[8]));
    expect(s2Forecast).toEqual(s2.forecast.mean.map((v: number) => Math.round(v * 1e6) / 1e6));

    // The next month's actuals for every SKU, then "How did we do" by store: each store's total against its forecast.
    let actuals = 'store,item,month,units\n';
    series.forEach((s, i) => (actuals += `S${1 + (i % 3)},I${Math.floor(i / 3)},${monthOf(s.train.length)},${s.test[0]}\n`));
    const appended = await fetch(`${baseUrl}/api/datasets/${datasetId}/actuals`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: actuals });
    expect(appended.status, await appended.clone().text()).toBe(200);
    const byStore = await getJson(`/api/datasets/${datasetId}/accuracy?by=store`);
    const s2Actual = series.filter((_, i) => i % 3 === 1).reduce((sum, s) => sum + s.test[0], 0);
    const s2Group = byStore.groups.find((g: { value: string }) => g.value === 'S2');
    expect(s2Group.summed.wape).toBeCloseTo((100 * Math.abs(s2Actual - s2.forecast.mean[0])) / s2Actual, 2);
    await page.goto(`${baseUrl}/#/accuracy`);
    await page.getByTestId('accuracy-view').waitFor();
    await page.getByLabel('Accuracy by').selectOption('store');
    const s2Row = page.locator('[data-testid=accuracy-group][data-value="S2"] td');
    // by, SKUs, WAPE, Bias (also of the total: no negative actual here), 80%, 95%, WAPE of the total.
    await expect.poll(() => s2Row.allTextContents(), { timeout: 10_000 }).toHaveLength(7);
    expect(Number.parseFloat((await s2Row.allTextContents())[6])).toBeCloseTo(s2Group.summed.wape, 1); // shown to one decimal
    await shot('08-accuracy-by-store');
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
