import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { orderExport, orderExportText, orderHeader, utf16le, type OrderExportAnswer } from '../../datasets/testing/order-export.js';

/**
 * Real-world order-line exports through POST /api/datasets on a real SQLite store: timestamps,
 * two-digit years, repeated headers, bare-comma lines, aggregation to the planner's period,
 * UTF-16 and .xlsx uploads (multipart, as the web app sends them).
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

function multipart(file: Buffer, filename: string, fields: Record<string, string> = {}, type = 'application/octet-stream', after: Record<string, string> = {}) {
  const boundary = '----skucast-order-lines';
  const parts: Buffer[] = [];
  const field = (name: string, value: string) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  for (const [name, value] of Object.entries(fields)) parts.push(field(name, value));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), file, Buffer.from('\r\n'));
  for (const [name, value] of Object.entries(after)) parts.push(field(name, value));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  // Streamed in 16 KB pieces a turn apart, as a network would: the server sees the file before what follows it.
  async function* pieces() {
    for (let at = 0; at < body.length; at += 16_384) {
      await new Promise((resolve) => setImmediate(resolve));
      yield body.subarray(at, at + 16_384);
    }
  }
  const payload = Object.keys(after).length > 0 ? Readable.from(pieces()) : body;
  return t.app.inject({ method: 'POST', url: '/api/datasets', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

/** Every SKU's stored monthly values equal the generator's sums, month by month, zero-filled between. */
async function expectMonthlySums(datasetId: string, answer: OrderExportAnswer) {
  const series = await t.store.getSeriesMany(datasetId);
  expect(series.map((s) => s.sku).sort()).toEqual([...answer.monthly.keys()].sort());
  for (const s of series) {
    const expected = answer.monthly.get(s.sku)!;
    const stored = new Map(s.dates.map((d, i) => [d, s.original[i]]));
    for (const [month, sum] of expected) expect(stored.get(month), `${s.sku} ${month}`).toBe(sum);
    for (const [month, value] of stored) if (!expected.has(month)) expect(value, `${s.sku} ${month}`).toBe(0);
  }
}

describe('order-line exports', () => {
  it('186,850 lines with 355 repeated headers and 545 bare-comma lines, frequency=monthly and nothing else: 19 SKUs of exact monthly sums', async () => {
    const { text, answer } = orderExportText({ lines: 186_850 - 355 - 545, repeatedHeaders: 355, emptyLines: 545, seed: 2019 });
    expect(text.split('\n').filter((l) => l === orderHeader)).toHaveLength(356);
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?frequency=monthly', headers: { 'content-type': 'text/csv' }, payload: text });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    const { datasetId, report } = res.json();
    expect(report).toMatchObject({
      rows: 185_950, skus: 19, frequency: 'monthly', detectedFrequency: 'daily', rejectedCount: 0, rejected: [], rejectedReasons: [],
      setAsideCount: 900, mapping: { sku: 'Product', date: 'Order Date', quantity: 'Quantity Ordered' },
    });
    expect(report.setAside.map((g: { reason: string; count: number; lines: number[] }) => [g.reason, g.count, g.lines])).toEqual(
      expect.arrayContaining([['repeated header', 355, answer.headerLines.slice(0, 5)], ['empty line', 545, answer.emptyLines.slice(0, 5)]]),
    );
    const periods = [...answer.monthly.values()].reduce((n, m) => n + m.size, 0);
    expect(report.duplicates).toBe(185_950 - periods);
    expect(report.warnings.join('\n')).toContain('900 lines set aside as not data: 355 repeated headers, 545 empty lines');
    await expectMonthlySums(datasetId, answer);
  }, 60_000);

  it('a file whose dates do not parse is refused naming the dominant reason with an example, not the junk', async () => {
    const { text } = orderExportText({ lines: 300, repeatedHeaders: 4, emptyLines: 6, seed: 7 });
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?frequency=monthly&dateFormat=DD.MM.YYYY', headers: { 'content-type': 'text/csv' }, payload: text });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toMatch(/^nothing usable: all 300 rows were rejected; all because date does not parse, e\.g\. line \d+: date '\d\d\/\d\d\/\d\d \d\d:\d\d' does not parse \(10 lines set aside as not data\)$/);
    expect(body.details).toHaveLength(1);
    expect(body.details[0].message).toMatch(/^date does not parse: 300 lines/);
    expect(body.report.rejectedReasons[0]).toMatchObject({ reason: 'date does not parse', count: 300 });
    expect(await t.store.listDatasets()).toEqual([]);
  });

  it('weekly: weeks start on Monday by default, on the day asked for with weekStart', async () => {
    const { text, answer } = orderExportText({ lines: 3000, repeatedHeaders: 2, emptyLines: 2, seed: 3 });
    const total = [...answer.monthly.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0);
    for (const [query, weekday] of [['frequency=weekly', 1], ['frequency=weekly&weekStart=sunday', 0]] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/datasets?createJobs=false&${query}`, headers: { 'content-type': 'text/csv' }, payload: text });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      const { datasetId, report } = res.json();
      expect(report.weekStart).toBe(weekday === 1 ? 'monday' : 'sunday');
      const series = await t.store.getSeriesMany(datasetId);
      for (const s of series) for (const d of s.dates) expect(new Date(`${d}T00:00:00Z`).getUTCDay()).toBe(weekday);
      expect(series.flatMap((s) => s.original).reduce((a, b) => a + b, 0)).toBe(total);
    }
    const bad = await t.app.inject({ method: 'POST', url: '/api/datasets?frequency=weekly&weekStart=funday', headers: { 'content-type': 'text/csv' }, payload: text });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('weekStart');
  });

  it('returns written (2) are summed as negatives and counted', async () => {
    const { text, answer } = orderExportText({ lines: 2000, repeatedHeaders: 1, emptyLines: 1, seed: 5, returns: 40 });
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?frequency=monthly&createJobs=false', headers: { 'content-type': 'text/csv' }, payload: text });
    expect(res.statusCode).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.returns.lines).toBe(40);
    expect(report.returns.quantity).toBeLessThanOrEqual(-40);
    expect(report.warnings.join('\n')).toContain('40 lines are returns');
    await expectMonthlySums(datasetId, answer);
  });

  it('a UTF-16 export (Excel "Unicode text") sent as a multipart file imports like its UTF-8 twin', async () => {
    const { text, answer } = orderExportText({ lines: 5000, repeatedHeaders: 3, emptyLines: 5, seed: 16 });
    const res = await multipart(utf16le(text), 'orders-utf16.csv', { frequency: 'monthly', createJobs: 'false' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const { datasetId, report } = res.json();
    expect(report).toMatchObject({ rows: 5000, skus: answer.monthly.size, setAsideCount: 8, rejectedCount: 0, fileType: 'csv', delimiter: ',' });
    await expectMonthlySums(datasetId, answer);
    expect((await t.store.getDataset(datasetId))!.name).toBe('orders-utf16');
  });

  it('multipart fields after the file are refused by name, nothing stored (curl -F file=@x -F frequency=monthly would otherwise import daily)', async () => {
    const { text } = orderExportText({ lines: 4000, repeatedHeaders: 0, emptyLines: 0, seed: 9 });
    const res = await multipart(Buffer.from(text), 'orders.csv', { createJobs: 'false' }, 'text/csv', { frequency: 'monthly', dryRun: 'true' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.json()).toMatchObject({ error: 'frequency, dryRun came after the file', details: [{ path: 'frequency' }, { path: 'dryRun' }] });
    expect(await t.store.listDatasets()).toEqual([]);
    const before = await multipart(Buffer.from(text), 'orders.csv', { createJobs: 'false', frequency: 'monthly' }, 'text/csv');
    expect(before.statusCode).toBe(201);
    expect(before.json().report.frequency).toBe('monthly');
  });

  it('an .xlsx workbook (date cells, a repeated header, an empty row) imports with the same mapping and report; sheet picks a sheet', async () => {
    const { chunks, answer } = orderExport({ lines: 2500, repeatedHeaders: 2, emptyLines: 3, seed: 21 });
    let text = '';
    for (const c of chunks) text += c;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['exported from the shop, 2019']);
    const sheet = workbook.addWorksheet('Orders');
    for (const line of text.trimEnd().split('\n')) {
      const fields = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')).slice(0, 6);
      if (fields[0] === 'Order ID' || fields.every((f) => f === '')) {
        sheet.addRow(fields);
        continue;
      }
      const [mm, dd, yy, hh, mi] = fields[4].split(/[/ :]/).map(Number);
      // Order dates as real date cells, quantities and prices as numbers.
      sheet.addRow([Number(fields[0]), fields[1], Number(fields[2]), Number(fields[3]), new Date(Date.UTC(2000 + yy, mm - 1, dd, hh, mi)), fields[5]]);
    }
    sheet.getColumn(5).numFmt = 'mm/dd/yy hh:mm';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

    const res = await multipart(file, 'orders.xlsx', { frequency: 'monthly', createJobs: 'false', sheet: 'Orders' }, type);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const { datasetId, report } = res.json();
    expect(report).toMatchObject({ rows: 2500, skus: answer.monthly.size, rejectedCount: 0, fileType: 'xlsx', mapping: { sku: 'Product', date: 'Order Date', quantity: 'Quantity Ordered' } });
    expect(report.setAside.map((g: { reason: string; count: number }) => [g.reason, g.count]).sort()).toEqual([['empty line', 3], ['repeated header', 2]]);
    await expectMonthlySums(datasetId, answer);
    expect((await t.store.getDataset(datasetId))!.name).toBe('orders');

    // The first sheet by default: here the notes, which have no date or quantity column.
    const first = await multipart(file, 'orders.xlsx', { frequency: 'monthly', dryRun: 'true' }, type);
    expect(first.statusCode).toBe(400);
    expect(first.json().details.map((d: { path: string }) => d.path)).toContain('mapping.date');
    const missing = await multipart(file, 'orders.xlsx', { sheet: 'Sales' }, type);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: "no sheet named 'Sales'", details: [{ path: 'sheet', message: "the workbook has 'Notes', 'Orders'" }] });
    const broken = await multipart(file.subarray(0, 2000), 'broken.xlsx', {}, type);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details[0].path).toBe('file');
  });

  it('store x item order lines: one SKU per pair, monthly sums, the parts kept as attributes', async () => {
    let csv = 'Order Date;Store;Item;Category;Qty\n';
    const sums = new Map<string, number>();
    for (let k = 0; k < 600; k++) {
      const store = `S${k % 3}`;
      const item = `I${(k * 7) % 4}`;
      const month = 1 + (k % 6);
      const qty = 1 + (k % 5);
      csv += `${String(1 + (k % 27)).padStart(2, '0')}.${String(month).padStart(2, '0')}.2024 ${String(k % 24).padStart(2, '0')}:15;${store};${item};${item === 'I0' ? 'cables' : 'phones'};${qty === 5 ? '1.000,0' : qty}\n`;
      const key = `${store} / ${item}|2024-${String(month).padStart(2, '0')}-01`;
      sums.set(key, (sums.get(key) ?? 0) + (qty === 5 ? 1000 : qty));
    }
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['Store', 'Item'], attributes: ['Category'] }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?frequency=monthly&createJobs=false&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.skus).toBe(12);
    for (const s of await t.store.getSeriesMany(datasetId)) {
      s.dates.forEach((d, i) => expect(s.original[i], `${s.sku} ${d}`).toBe(sums.get(`${s.sku}|${d}`) ?? 0));
      expect(s.attributes).toEqual({ Store: s.sku.split(' / ')[0], Item: s.sku.split(' / ')[1], Category: s.sku.endsWith('I0') ? 'cables' : 'phones' });
    }
  });
});
