import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { berlinWeeks, erpHeader as header, postActuals, sundayDe as sunday, sundayIso as iso } from './imported-dataset-fixture.js';

/**
 * POST /api/datasets/:id/actuals as a planner's ERP export sends it (`;`, decimal commas, German
 * headers, a `Summe` row), through the real app on SQLite and, with DATABASE_URL, PostgreSQL: the
 * rows it cannot read are said, a SKU whose every line was rejected is named as such (never called
 * absent, never given 0), new SKUs are named, and `dryRun` checks the file writing nothing
 * (docs/planning-cycle.md, "The check").
 */
describe.each(storeKinds('actuals check'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('actuals-check', kind));
  });
  afterEach(async () => close());

  const skus = ['A-1000', 'A-1001', 'A-1002', 'A-1003'];

  /** 20 weeks of four SKUs, weeks 0 to 19. */
  const dataset = () => berlinWeeks(app, store, skus);

  /** Week 20: A-1000 fine, A-1001's date mistyped (a letter O), A-1002 typed A-1O02, A-1003 fine, and the ERP's total row. */
  const week20 = header
    + `A-1000;Berlin;${sunday(20)};32,6\n`
    + 'A-1001;Berlin;6.12.2O26;18,7\n'
    + `A-1O02;Berlin;${sunday(20)};48,8\n`
    + `A-1003;Berlin;${sunday(20)};12,0\n`
    + 'Summe;;;111,1\n';

  const post = (id: string, query: string, payload: string) => postActuals(app, id, query, payload);
  const lastDate = async (id: string, sku: string) => {
    const res = await app.inject({ url: `/api/datasets/${id}/skus/${sku}` });
    expect(res.statusCode, res.body).toBe(200);
    const dates = res.json().dates as string[];
    return dates[dates.length - 1];
  };

  it('says the rows it rejected, grouped with their lines; names the SKU whose every line was rejected (not absent, no advice to send 0) and the new SKU', async () => {
    const id = await dataset();
    const res = await post(id, '', week20);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    // The Summe row (line 6) is the ERP's total, set aside as one, not a rejected row.
    expect(out.report.rejectedCount).toBe(1);
    expect(out.report.rejectedReasons).toEqual([expect.objectContaining({ count: 1, lines: [3], example: "date '6.12.2O26' does not parse" })]);
    expect(out.rejectedSkus).toEqual({ count: 1, skus: [{ sku: 'A-1001', line: 3 }] });
    expect(out.absent).toEqual({ count: 1, skus: ['A-1002'], zeroed: 0 });
    expect(out.newSkus).toEqual(['A-1O02']);
    expect(out.skusAdded).toBe(1);
    const warnings = (out.report.warnings as string[]).join('\n');
    expect(warnings).toMatch(/1 of the dataset's SKUs has lines in this file that were all rejected \(A-1001 line 3\)/);
    expect(warnings).toMatch(/no line in this file \(A-1002\)/);
    expect(warnings).not.toMatch(/A-1001[^\n]*send (it|them) with 0|no line in this file \([^)]*A-1001/);
  });

  it('names the dataset SKU a new code looks like (A-1O02: did you mean A-1002?), in newSkusLike and the warnings', async () => {
    const id = await dataset();
    const res = await post(id, '?dryRun', week20);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.newSkus).toEqual(['A-1O02']);
    expect(out.newSkusLike).toEqual([{ sku: 'A-1O02', like: 'A-1002' }]);
    expect(out.report.warnings).toContain("1 new SKU looks like one of the dataset's: A-1O02 (new: did you mean A-1002?); it would be added as a new SKU: if mistyped, correct the file and send it again");
    // A new code like no SKU of the dataset (or like several) gets no hint.
    const other = await post(id, '?dryRun', `${header}Z-9999;Berlin;${sunday(20)};1,0\nA-1004;Berlin;${sunday(20)};1,0\n`);
    expect(other.json()).toMatchObject({ newSkus: ['A-1004', 'Z-9999'], newSkusLike: [] });
  });

  it('a file already applied: the check says it changes nothing (every value already stored), and so does the append', async () => {
    const id = await dataset();
    const file = header + skus.map((sku) => `${sku};Berlin;${sunday(20)};5,0\n`).join('');
    const first = await post(id, '?dryRun', file);
    expect(first.json().report.warnings.join('\n')).not.toMatch(/changes nothing/);
    expect((await post(id, '', file)).statusCode).toBe(200);
    const again = await post(id, '?dryRun', file);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ periodsAdded: 0, valuesRevised: 0, skusAdded: 0, newSkus: [], newSkusLike: [] });
    expect(again.json().report.warnings).toContain('this file changes nothing: every value in it is already stored (applied before?)');
    const applied = await post(id, '', file);
    expect(applied.json()).toMatchObject({ skusChanged: 0, actualsId: null });
    expect(applied.json().report.warnings).toContain('this file changes nothing: every value in it is already stored (applied before?)');
    // With rejected lines, they are set aside in the text.
    const withRejected = await post(id, '?dryRun', `${file}A-1000;Berlin;xx.12.2026;1,0\n`);
    expect(withRejected.json().report.warnings).toContain('this file changes nothing: every value in it is already stored (applied before?); its 1 rejected line aside');
  });

  it('with absentSkus=zero, the SKU whose lines were all rejected gets no 0 (it sold 18.7 that week); the absent one does', async () => {
    const id = await dataset();
    const res = await post(id, '?absentSkus=zero', week20);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.absent).toEqual({ count: 1, skus: ['A-1002'], zeroed: 1 });
    expect(out.rejectedSkus.skus).toEqual([{ sku: 'A-1001', line: 3 }]);
    expect(await lastDate(id, 'A-1001')).toBe(iso(19));
    expect(await lastDate(id, 'A-1002')).toBe(iso(20));
    expect((out.report.warnings as string[]).join('\n')).toMatch(/all rejected \(A-1001 line 3\): its history is left as it was, not given 0/);
  });

  it('with absentSkus=zero, a SKU with a rejected line and none for the file\'s last period gets no 0 for it', async () => {
    const id = await dataset();
    const file = header
      + skus.filter((s) => s !== 'A-1001').map((sku) => `${sku};Berlin;${sunday(20)};5,0\n${sku};Berlin;${sunday(21)};6,0\n`).join('')
      + `A-1001;Berlin;${sunday(20)};7,0\n`
      + 'A-1001;Berlin;xx.12.2026;18,7\n';
    const res = await post(id, '?absentSkus=zero', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(await lastDate(id, 'A-1001')).toBe(iso(20));
    expect((res.json().report.warnings as string[]).join('\n')).toMatch(/1 of the file's SKUs has rejected lines and no line for the file's last periods \(A-1001 line 9\): it got no 0/);
  });

  it('dryRun checks the file: the same answer as the append, with dryRun: true, and nothing written (no snapshot, actuals record, audit, jobs or value)', async () => {
    const id = await dataset();
    // A revised week too, so the check has an audit it must not write.
    const file = `${week20}A-1000;Berlin;${sunday(18)};99,0\n`;
    const snapshots = (await store.listSnapshots(id)).length;
    const jobs = (await store.summary()).total;
    const check = await post(id, '?dryRun', file);
    expect(check.statusCode, check.body).toBe(200);
    const checked = check.json();
    expect(checked).toMatchObject({ dryRun: true, actualsId: null, batchId: null, jobsCreated: 0, skusAdded: 1, newSkus: ['A-1O02'], periodsAdded: 3, valuesRevised: 1 });
    expect(checked.revised).toEqual({ skus: 1, earliest: iso(18), periodsBack: 1, onlyHistory: false, old: false });
    expect(checked.revisions).toEqual([{ sku: 'A-1000', date: iso(18), previous: 22.8, value: 99 }]);
    expect(checked.report.rejectedCount).toBe(1);
    expect(await store.listActuals(id)).toEqual([]);
    expect((await store.listSnapshots(id)).length).toBe(snapshots);
    expect((await store.summary()).total).toBe(jobs);
    expect(await lastDate(id, 'A-1000')).toBe(iso(19));
    expect((await app.inject({ url: `/api/datasets/${id}/skus/A-1O02` })).statusCode).toBe(404);
    // Applied, the same file answers the same.
    const applied = await post(id, '', file);
    expect(applied.statusCode, applied.body).toBe(200);
    const out = applied.json();
    expect(out.dryRun).toBeUndefined();
    for (const key of ['skusChanged', 'skusAdded', 'periodsAdded', 'valuesRevised', 'revisions', 'newSkus', 'newSkusLike', 'absent', 'rejectedSkus', 'revised', 'partial']) expect(out[key], key).toEqual(checked[key]);
    expect(out.report.warnings).toEqual(checked.report.warnings);
    expect(out.actualsId).toMatch(/^act_/);
    expect(await store.listActuals(id)).toHaveLength(1);
  });

  it('an old full-history export picked by mistake: the check says it revises stored values back to its first week and adds no period', async () => {
    const id = await dataset();
    let old = header;
    for (const sku of ['A-1000', 'A-1001']) for (let k = 0; k < 20; k++) old += `${sku};Berlin;${sunday(k)};${k + 1},5\n`;
    const res = await post(id, '?dryRun=true', old);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ dryRun: true, periodsAdded: 0, valuesRevised: 40, skusChanged: 2 });
    expect(out.revised).toEqual({ skus: 2, earliest: iso(0), periodsBack: 19, onlyHistory: true, old: true });
    expect(out.report.warnings).toContain(`the file adds no new period to the dataset's SKUs and revises 40 stored values of 2 SKUs back to ${iso(0)} (19 periods before the dataset's last, ${iso(19)}): an old or full-history export rewrites history; check that this is the file meant`);
    expect(await store.listActuals(id)).toEqual([]);
  });

  it('an old full-history export with one misspelled SKU (which adds periods) is still said to rewrite history', async () => {
    const id = await dataset();
    let old = header;
    for (const sku of ['A-1000', 'A-1001', 'A-1O02']) for (let k = 0; k < 20; k++) old += `${sku};Berlin;${sunday(k)};${k + 1},5\n`;
    const res = await post(id, '?dryRun', old);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ periodsAdded: 20, valuesRevised: 40, newSkus: ['A-1O02'] });
    expect(out.revised).toEqual({ skus: 2, earliest: iso(0), periodsBack: 19, onlyHistory: true, old: true });
    expect((out.report.warnings as string[]).join('\n')).toMatch(/the file adds no new period to the dataset's SKUs and revises 40 stored values of 2 SKUs/);
  });

  it('basedOn ties the append to its check: the check answers datasetUpdatedAt; the append with it is applied, and refused (409 conflict_state naming basedOn, nothing stored) once the dataset changed since', async () => {
    const id = await dataset();
    const file = `${header}A-1000;Berlin;${sunday(20)};32,6\n`;
    const check = await post(id, '?dryRun', file);
    expect(check.statusCode, check.body).toBe(200);
    const basedOn = check.json().datasetUpdatedAt as number;
    expect(basedOn).toBe((await store.getDataset(id))!.updatedAt);
    // Another append lands between the check and Apply.
    expect((await post(id, '', `${header}A-1001;Berlin;${sunday(20)};5,0\n`)).statusCode).toBe(200);
    const stale = await post(id, `?basedOn=${basedOn}`, file);
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict_state', details: [expect.objectContaining({ path: 'basedOn' })] });
    expect(stale.json().error).toMatch(/changed since the check; check the file again/);
    expect(await lastDate(id, 'A-1000')).toBe(iso(19));
    expect(await store.listActuals(id)).toHaveLength(1);
    // Checked again, then applied with the new check's value.
    const again = await post(id, '?dryRun', file);
    const applied = await post(id, `?basedOn=${again.json().datasetUpdatedAt}`, file);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(await lastDate(id, 'A-1000')).toBe(iso(20));
    expect((await post(id, '?basedOn=x', file)).statusCode).toBe(400);
  });
});
