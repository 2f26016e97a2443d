/**
 * Real-world files through the web app's upload page: Debian's chromium (playwright-core) against
 * a real `node server.js api` on a temporary SQLite database. A UTF-16 order-line export (Excel's
 * "Unicode text") and an .xlsx workbook are chosen in the page, previewed from their first bytes,
 * aggregated to the monthly period the planner picks, and imported as multipart uploads; the
 * stored monthly values must be exactly the generator's sums. Screenshots go to test-output/web/.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderExportText, utf16le, type OrderExportAnswer } from '../../src/datasets/testing/order-export.js';
import { pollUntil, startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';
import { freePort } from '../support/free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-output/web');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let dir: string;
let baseUrl: string;
let api: SkucastProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(`${baseUrl}${url}`)).json()) as T;
}

/** Each SKU's stored values, through the HTTP API, equal the generator's monthly sums. */
async function expectMonthlySums(datasetId: string, answer: OrderExportAnswer): Promise<void> {
  const page1 = await getJson<{ total: number; items: Array<{ sku: string }> }>(`/api/datasets/${datasetId}/skus?limit=100`);
  expect(page1.items.map((i) => i.sku).sort()).toEqual([...answer.monthly.keys()].sort());
  for (const { sku } of page1.items) {
    const series = await getJson<{ dates: string[]; original: number[] }>(`/api/datasets/${datasetId}/skus/${encodeURIComponent(sku)}`);
    const stored = new Map(series.dates.map((d, i) => [d, series.original[i]]));
    for (const [month, sum] of answer.monthly.get(sku)!) expect(stored.get(month), `${sku} ${month}`).toBe(sum);
  }
}

/** Chooses a file in the upload page, checks the preview, picks monthly, imports; returns the new dataset. */
async function uploadThroughPage(name: string, mimeType: string, buffer: Buffer, expectPreviewColumn: boolean) {
  const before = (await getJson<{ datasets: Array<{ id: string }> }>('/api/datasets')).datasets.map((d) => d.id);
  await page.goto(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Upload data' }).click();
  await page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer });
  await page.getByTestId('import-report').waitFor();
  if (expectPreviewColumn) await expect.poll(() => page.getByRole('table', { name: 'First rows of the file' }).textContent()).toContain('Order Date');
  // The dates are timestamps: the detected period is daily, preselected; the planner picks monthly.
  await expect.poll(() => page.getByTestId('frequency').inputValue(), { timeout: 15_000 }).toBe('daily');
  await page.getByTestId('frequency').selectOption('monthly');
  await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 15_000 }).toContain('monthly');
  expect(Number(await page.getByTestId('set-aside').textContent())).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(shots, `upload-${name}.png`) });
  const partial = await page.getByTestId('dry-run-partial').count() > 0;
  const dryRunRows = Number((await page.locator('.import-report dt', { hasText: /^Rows$/ }).locator('xpath=following-sibling::dd').textContent())!.replace(/\D/g, ''));
  await page.getByTestId('confirm-upload').click();
  const created = await pollUntil('the dataset to be created', async () => {
    const list = await getJson<{ datasets: Array<{ id: string; name: string; frequency: string; report: Record<string, unknown> }> }>('/api/datasets');
    return list.datasets.find((d) => !before.includes(d.id));
  }, 60_000, 200);
  return { ...created, partial, dryRunRows };
}

const available = existsSync(chromiumPath);
if (!available) console.warn(`[web upload e2e] SKIPPED: no chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
if (!available && process.env.CI === 'true') throw new Error(`chromium is required under CI (looked at ${chromiumPath})`);

describe.skipIf(!available)('web upload of real-world files', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error('dist/ is not built: the vitest globalSetup runs `npm run build:server`');
    if (!existsSync(path.join(root, 'web/dist/index.html'))) throw new Error('web/dist is not built: the vitest globalSetup runs `npm run build:web`');
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'skucast-web-upload-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // DATABASE_URL '': its own SQLite file, never the run's shared PostgreSQL database (web.test.ts met this suite's dataset there).
    api = startSkucast('api', ['api'], { DATABASE_PATH: path.join(dir, 'web.db'), DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    await pollUntil('the API to answer /api/health', () => fetch(`${baseUrl}/api/health`).then((r) => r.ok || undefined, () => undefined), 30_000, 200);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (api?.running) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    const leaked = await stopAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(leaked).toEqual([]);
  }, 60_000);

  it('a UTF-16 order export: previewed, monthly chosen, imported with exact monthly sums and its junk set aside', async () => {
    const { text, answer } = orderExportText({ lines: 4000, repeatedHeaders: 3, emptyLines: 4, seed: 1616 });
    const dataset = await uploadThroughPage('orders-utf16.csv', 'text/csv', utf16le(text), true);
    expect(dataset).toMatchObject({ name: 'orders-utf16', frequency: 'monthly', report: { rows: 4000, setAsideCount: 7, rejectedCount: 0, fileType: 'csv' } });
    await expectMonthlySums(dataset.id, answer);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('a 3 MB export: the dry run sends only its first megabyte, the import sends the File as multipart', async () => {
    const { text, answer } = orderExportText({ lines: 40_000, repeatedHeaders: 5, emptyLines: 5, seed: 303 });
    const buffer = Buffer.from(text);
    expect(buffer.length).toBeGreaterThan(3 * 1024 * 1024);
    const sent: Array<{ dryRun: boolean; type: string }> = [];
    const record = (request: import('playwright-core').Request) => {
      if (request.method() !== 'POST' || !request.url().includes('/api/datasets')) return;
      sent.push({ dryRun: request.url().includes('dryRun=true'), type: request.headers()['content-type'] ?? '' });
    };
    page.on('request', record);
    let dataset: Awaited<ReturnType<typeof uploadThroughPage>>;
    try {
      dataset = await uploadThroughPage('orders-large.csv', 'text/csv', buffer, true);
    } finally {
      page.off('request', record);
    }
    // The dry run saw only the first megabyte (said so on the page); the import read every line.
    expect(dataset.partial).toBe(true);
    expect(dataset.dryRunRows).toBeGreaterThan(5000);
    expect(dataset.dryRunRows).toBeLessThan(15_000);
    expect(dataset.report).toMatchObject({ rows: 40_000, setAsideCount: 10, rejectedCount: 0 });
    await expectMonthlySums(dataset.id, answer);
    expect(sent.filter((r) => r.dryRun).length).toBeGreaterThan(0);
    expect(sent.filter((r) => !r.dryRun)).toHaveLength(1);
    for (const r of sent) expect(r.type).toMatch(/^multipart\/form-data; boundary=/);
  }, 120_000);

  it('an .xlsx workbook: columns from the dry run, monthly chosen, imported with exact monthly sums', async () => {
    const { text, answer } = orderExportText({ lines: 1500, repeatedHeaders: 2, emptyLines: 2, seed: 1717 });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Orders');
    for (const line of text.trimEnd().split('\n')) {
      sheet.addRow(line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')).slice(0, 6));
    }
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const dataset = await uploadThroughPage('orders.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer, false);
    expect(dataset).toMatchObject({ name: 'orders', frequency: 'monthly', report: { rows: 1500, setAsideCount: 4, rejectedCount: 0, fileType: 'xlsx' } });
    await expectMonthlySums(dataset.id, answer);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  /** The console errors since `from` but a refused request's (a 400 the page answers in its form). */
  const unexpectedErrors = (from: number) => consoleErrors.slice(from).filter((e) => !/status of 400/.test(e));

  it('a German Excel "CSV (semicolon)" in Windows-1252 under a report title: refused as not UTF-8 with the Encoding select named, read once it is picked, the header found below the title', async () => {
    const errorsBefore = consoleErrors.length;
    let text = 'Verkaufsbericht Q4 2025\r\n\r\nArtikel;Monat;Menge\r\n';
    for (const sku of ['Café', 'Crème']) for (let m = 1; m <= 12; m++) text += `${sku};01.${String(m).padStart(2, '0')}.2025;${m * 10},5\r\n`;
    const buffer = Buffer.from(text, 'latin1');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Upload data' }).click();
    await page.getByTestId('file-input').setInputFiles({ name: 'bericht.csv', mimeType: 'text/csv', buffer });
    const alert = page.locator('.upload-preview [role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('Choose Encoding "Windows-1252 (Excel, Western Europe)" above');
    expect(await alert.textContent()).not.toContain('over HTTP');
    await page.getByTestId('charset').selectOption('windows-1252');
    await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 15_000 }).toContain("skipped 2 lines above the header (line 3): 'Verkaufsbericht Q4 2025'");
    const head = page.getByRole('table', { name: 'First rows of the file' }).locator('th');
    await expect.poll(() => head.allTextContents()).toEqual(['Artikel', 'Monat', 'Menge']);
    await page.screenshot({ path: path.join(shots, 'upload-windows-1252-title.png') });
    await page.getByTestId('confirm-upload').click();
    const created = await pollUntil('the dataset to be created', async () => {
      const list = await getJson<{ datasets: Array<{ id: string; name: string; report: Record<string, unknown> }> }>('/api/datasets');
      return list.datasets.find((d) => d.name === 'bericht');
    }, 60_000, 200);
    expect(created.report).toMatchObject({ rows: 24, headerRow: 3, rejectedCount: 0, delimiter: ';' });
    const cafe = await getJson<{ original: number[] }>(`/api/datasets/${created.id}/skus/${encodeURIComponent('Café')}`);
    expect(cafe.original).toEqual([10.5, 20.5, 30.5, 40.5, 50.5, 60.5, 70.5, 80.5, 90.5, 100.5, 110.5, 120.5]);
    expect(unexpectedErrors(errorsBefore)).toEqual([]);
  }, 120_000);

  it('an .xlsx whose first sheet is a cover sheet: the refusal brings a Sheet select, and the sheet picked imports', async () => {
    const errorsBefore = consoleErrors.length;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').addRows([['Report generated 2025-12-06 by the ERP'], ['All stores']]);
    const data = workbook.addWorksheet('Data');
    data.addRow(['Item', 'Month', 'Units']);
    for (const sku of ['A', 'B']) for (let m = 1; m <= 12; m++) data.addRow([sku, `2025-${String(m).padStart(2, '0')}-01`, m]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Upload data' }).click();
    await page.getByTestId('file-input').setInputFiles({ name: 'cover.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await expect.poll(() => page.locator('.upload-preview [role=alert]').textContent(), { timeout: 15_000 }).toContain("it also has 'Data'");
    await page.getByTestId('sheet').selectOption('Data');
    // The Data sheet's counts, not any '24' on the page (a date, a line number).
    await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 15_000 }).toContain('SKUs2Rows24');
    await page.getByTestId('confirm-upload').click();
    const created = await pollUntil('the dataset to be created', async () => {
      const list = await getJson<{ datasets: Array<{ id: string; name: string; report: Record<string, unknown> }> }>('/api/datasets');
      return list.datasets.find((d) => d.name === 'cover');
    }, 60_000, 200);
    expect(created.report).toMatchObject({ rows: 24, skus: 2, sheet: 'Data', sheets: ['Cover', 'Data'] });
    expect(unexpectedErrors(errorsBefore)).toEqual([]);
  }, 120_000);
});
