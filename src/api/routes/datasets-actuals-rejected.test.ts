import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { berlinWeeks, erpHeader as header, postActuals, sundayDe as sunday, sundayIso as iso } from './imported-dataset-fixture.js';

/**
 * POST /api/datasets/:id/actuals with rejected lines once zero-filling or leading zeros are
 * involved (R review findings 3, 4 and 8), on SQLite and, with DATABASE_URL, PostgreSQL: a period
 * a rejected line is dated in is never filled with 0 by the dataset's fillGaps=zero (the default),
 * a SKU with a line whose date could not be read gets no 0 inside the file's span, and a SKU whose
 * lines were all rejected under a code that lost its leading zeros is named as rejected, not absent.
 */
describe.each(storeKinds('actuals rejected'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('actuals-rejected', kind));
  });
  afterEach(async () => close());

  /** 20 weeks (0 to 19) of these SKUs, with the dataset's default fillGaps=zero. */
  async function dataset(skus: string[]): Promise<string> {
    const id = await berlinWeeks(app, store, skus);
    expect((await store.getDataset(id))!.settings.fillGaps).toBe('zero');
    return id;
  }
  const post = (id: string, query: string, payload: string) => postActuals(app, id, query, payload);
  const datesOf = async (id: string, sku: string) => {
    const res = await app.inject({ url: `/api/datasets/${id}/skus/${sku}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().dates as string[];
  };
  const warningsOf = (body: { report: { warnings: string[] } }) => body.report.warnings.join('\n');

  it('a rejected quantity mid-file: its week is not stored as 0 by fillGaps=zero, and no warning says the SKU had no line', async () => {
    const id = await dataset(['A-1000', 'A-1001']);
    const file = header
      + `A-1000;Berlin;${sunday(20)};abc\n`
      + `A-1000;Berlin;${sunday(21)};9,0\n`
      + `A-1001;Berlin;${sunday(20)};5,0\n`
      + `A-1001;Berlin;${sunday(21)};6,0\n`;
    const res = await post(id, '', file);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.report.rejectedCount).toBe(1);
    const dates = await datesOf(id, 'A-1000');
    expect(dates).not.toContain(iso(20));
    expect(dates[dates.length - 1]).toBe(iso(21));
    expect(warningsOf(out)).not.toMatch(/had no line/);
    expect(warningsOf(out)).toMatch(new RegExp(`1 period of 1 SKU was not filled with 0 \\(fillGaps=zero\\) since the file had a rejected line for it, which may hold a sale \\(A-1000 ${iso(20)} \\(line 2 rejected\\)\\)`));
    // Sent again, corrected: the week takes its value.
    const again = await post(id, '', `${header}A-1000;Berlin;${sunday(20)};7,5\n`);
    expect(again.statusCode, again.body).toBe(200);
    expect(await datesOf(id, 'A-1000')).toContain(iso(20));
  });

  it('a rejected line whose date cannot be read: none of that SKU\'s periods inside the file\'s span gets 0, with a warning', async () => {
    const id = await dataset(['A-1000', 'A-1001']);
    const file = header
      + 'A-1000;Berlin;xx.05.2026;18,7\n'
      + `A-1000;Berlin;${sunday(21)};9,0\n`
      + `A-1001;Berlin;${sunday(20)};5,0\n`
      + `A-1001;Berlin;${sunday(21)};6,0\n`;
    const res = await post(id, '', file);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(await datesOf(id, 'A-1000')).not.toContain(iso(20));
    expect(warningsOf(out)).not.toMatch(/had no line/);
    expect(warningsOf(out)).toMatch(/A-1000 [^(]+\(line 2's date not read, so no period in the file's span\)/);
  });

  it('a dataset SKU whose lines were all rejected under a code without its leading zeros is named as rejected, not absent, and gets no 0 (absentSkus=zero)', async () => {
    const id = await dataset(['001002', '001003', '001004']);
    const file = header
      + '1002;Berlin;xx.12.2026;18,7\n'
      + `1003;Berlin;${sunday(20)};4,0\n`
      + `1004;Berlin;${sunday(20)};3,0\n`
      + `1004;Berlin;${sunday(21)};2,0\n`
      + '1003;Berlin;yy.12.2026;1,0\n';
    const res = await post(id, '?absentSkus=zero', file);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.absent).toEqual({ count: 0, skus: [], zeroed: 0 });
    expect(out.rejectedSkus).toEqual({ count: 1, skus: [{ sku: '001002', line: 2 }] });
    expect((await datesOf(id, '001002')).at(-1)).toBe(iso(19));
    // 1003 (read as 001003) has a rejected line and none for the file's last week: held back, not given 0.
    expect((await datesOf(id, '001003')).at(-1)).toBe(iso(20));
    const warnings = warningsOf(out);
    expect(warnings).not.toMatch(/no line in this file/);
    expect(warnings).toMatch(/all rejected \(001002 line 2\)/);
    expect(warnings).toMatch(/rejected lines and no line for the file's last periods \(001003 line 6\)/);
  });
});
