/**
 * What a planner's walkthrough left open, in Debian's chromium (playwright-core) against a real
 * `node server.js api` and `node server.js worker` on a temporary SQLite database: "How did we do"
 * marks where the actuals appended after the snapshot begin, the append's warning names the
 * checkbox rather than `absentSkus=zero`, and Totals has a table under its chart (collapsed,
 * scrolling, numbers in the browser's locale: de-DE here). Screenshots go to
 * test-output/planner-views/. Any console error on the page fails the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actualsCsv, historyCsv, m3Monthly } from '../support/m3-planning-data.js';
import { chromiumAvailable, webE2eSessionForSuite } from '../support/web-e2e-session.js';

describe.skipIf(!chromiumAvailable('planner-views'))('planner views in the web app', () => {
  // A German browser: the table's numbers are written 12.345,6.
  const session = webE2eSessionForSuite('planner-views', 'de-DE');
  const { shot, getJson, drained } = session;

  it('marks the appended actuals on "How did we do", says the append\'s warning in the page\'s words, and gives Totals a table under its chart', async () => {
    const { baseUrl, page, consoleErrors } = session;
    const series = m3Monthly(3);
    const created = await fetch(`${baseUrl}/api/datasets?models=seasonal_naive,simple_exponential_smoothing&name=Walkthrough`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: historyCsv(series) });
    expect(created.status).toBe(201);
    const datasetId = (await created.json()).datasetId as string;
    await drained();

    // Six months of actuals for two of the three SKUs: the third has no line, and the API's warning says so.
    await page.goto(`${baseUrl}/datasets/${datasetId}/accuracy`);
    await page.getByTestId('accuracy-view').waitFor();
    await page.getByTestId('actuals-input').setInputFiles({ name: 'actuals.csv', mimeType: 'text/csv', buffer: Buffer.from(actualsCsv(series.slice(0, 2), 6)) });
    // The file is checked first (nothing written): applied from its check.
    await page.getByTestId('actuals-apply').click({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('actuals-notice').textContent(), { timeout: 15_000 }).toContain('2 SKUs changed');
    const warnings = (await page.getByTestId('actuals-warnings').textContent())!;
    expect(warnings).toContain('tick “SKUs not in the file sold nothing”');
    expect(warnings).not.toMatch(/absentSkus|--absent-skus/);
    await drained();

    // The chart of the SKU that missed most: a rule after the snapshot's history end, named in the legend and the caption.
    const accuracy = await getJson(`/api/datasets/${datasetId}/accuracy`);
    const historyEnd = accuracy.snapshot.historyEnd as string;
    expect(historyEnd).toBe('2004-02-01'); // 50 months from 2000-01
    const chart = page.getByTestId('accuracy-chart');
    const plot = chart.getByTestId('forecast-chart');
    await expect.poll(async () => Number(await plot.getAttribute('data-forecast-points')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await plot.getAttribute('data-marks')).toBe(historyEnd);
    const label = `Snapshot #${accuracy.snapshot.id}'s forecast was made from the history through Feb. 2004: right of the line is what was recorded after it, which the forecast is scored against`;
    await expect.poll(() => chart.locator('.chart-legend li').allTextContents()).toContain(label);
    expect(await plot.getAttribute('aria-label')).toContain(`${label}.`);
    expect(await chart.locator('.chart-legend .swatch-rule').count()).toBe(1);
    // The rule is drawn: a column of the canvas between the 50th and the 51st month holds the axis colour, dashed.
    const drawn = await plot.evaluate((host) => {
      const canvas = host.querySelector('canvas')!;
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      // Columns with many dark pixels: the y axis' tick labels are left of the plot, the rule inside it.
      const counts: number[] = [];
      for (let x = 0; x < canvas.width; x++) {
        let n = 0;
        for (let y = 0; y < canvas.height; y++) {
          const i = (y * canvas.width + x) * 4;
          if (data[i + 3] > 200 && data[i] < 120 && data[i + 1] < 120 && data[i + 2] < 140) n++;
        }
        counts.push(n);
      }
      return { width: canvas.width, tall: counts.map((n, x) => [x, n]).filter(([, n]) => n > canvas.height * 0.3).map(([x]) => x) };
    });
    expect(drawn.tall.some((x) => x > drawn.width * 0.2), JSON.stringify(drawn.tall)).toBe(true);
    await chart.scrollIntoViewIfNeeded();
    await shot('01-how-did-we-do-appended-actuals-marked');

    // Totals: the table under the chart, collapsed, with a row per period.
    const totals = await getJson(`/api/datasets/${datasetId}/aggregates`);
    const periods = totals.total.history.dates.length + totals.total.forecast.dates.length;
    await page.getByRole('link', { name: 'Totals' }).click();
    await page.getByTestId('aggregates-view').waitFor();
    const table = page.getByTestId('totals-table');
    const summary = table.locator('summary');
    await expect.poll(() => summary.textContent(), { timeout: 15_000 })
      .toBe(`Show table (${periods} periods: ${totals.total.history.dates.length} of history, ${totals.total.forecast.dates.length} forecast)`);
    expect(await table.getByRole('table').isVisible()).toBe(false);
    await summary.click();
    const grid = page.getByRole('table', { name: 'All SKUs: summed history and forecast by period' });
    await grid.waitFor();
    expect(await summary.textContent()).toMatch(/^Hide table/);
    expect(await grid.locator('tbody tr').count()).toBe(periods);
    const forecastRows = grid.locator('tbody tr[data-kind=forecast]');
    expect(await forecastRows.count()).toBe(totals.total.forecast.dates.length);
    const first = await forecastRows.first().locator('th, td').allTextContents();
    const de = (v: number) => new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }).format(v);
    const f = totals.total.forecast;
    expect(first).toEqual([
      new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${f.dates[0]}T00:00:00Z`)),
      'All SKUs', 'Forecast', de(f.mean[0]), de(f.lower95[0]), de(f.upper95[0]), de(f.lower80[0]), de(f.upper80[0]),
    ]);
    // Many periods stay usable: the rows scroll inside their own region, the header stays in view, the page does not grow by them.
    const region = page.getByRole('region', { name: 'All SKUs: summed history and forecast by period' });
    const box = await region.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(box.scroll).toBeGreaterThan(box.client);
    await region.focus();
    await page.keyboard.press('End');
    await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    const header = await grid.locator('thead th').first().boundingBox();
    const regionBox = (await region.boundingBox())!;
    expect(Math.abs(header!.y - regionBox.y)).toBeLessThan(4);
    await shot('02-totals-table');

    // totals.csv, linked beside the table.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('totals-table-csv').click()]);
    expect(download.suggestedFilename()).toBe('totals.csv');
    expect(readFileSync(await download.path(), 'utf8')).toMatch(/^\uFEFFby[;,]value[;,]date[;,]kind/);
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
