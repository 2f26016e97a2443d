import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import type { Store } from '../../stores/store.js';

/**
 * What the actuals and snapshot route tests share: a dataset imported through the API with its
 * jobs completed (forecasts stored, no worker), and the requests they send about it.
 */

/** POSTs `csv` as a new dataset forecast by `models`, completes its jobs, and answers its id. */
export async function importDataset(app: FastifyInstance, store: Store, csv: string, models = 'naive'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/datasets?models=${models}`, headers: { 'content-type': 'text/csv' }, payload: csv });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().datasetId as string;
  await completeAllJobs(store);
  return id;
}

/** POSTs `payload` (CSV) as actuals of dataset `id`; `query` is '' or starts with '?'. */
export const postActuals = (app: FastifyInstance, id: string, query: string, payload: string) =>
  app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals${query}`, headers: { 'content-type': 'text/csv' }, payload });

/** The first of month `k` of 2024 (0: January), for k under 12. */
export const month2024 = (k: number) => `2024-${String(k + 1).padStart(2, '0')}-01`;

/** A and B, January to August 2024, forecast by naive. */
export async function januaryToAugust(app: FastifyInstance, store: Store): Promise<string> {
  let csv = 'sku,date,sales\n';
  for (const sku of ['A', 'B']) for (let k = 0; k < 8; k++) csv += `${sku},${month2024(k)},${10 + k}\n`;
  return importDataset(app, store, csv);
}

/** The first of month `k` counted from January 2020. */
export const month2020 = (k: number) => `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;

/** POSTs `payload` (CSV) to `url`. */
export const postCsv = (app: FastifyInstance, url: string, payload: string) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload });

/** GETs `url`, expecting a 200, and answers its JSON. */
export async function getOk(app: FastifyInstance, url: string) {
  const res = await app.inject({ url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The models threeSkuDataset is forecast by. */
export const seasonalModels = 'seasonal_naive,simple_exponential_smoothing';

/** Month `k`'s sales of a SKU selling around `level`, with a yearly season. */
export const seasonalValue = (level: number, k: number) => Math.round(level * (1 + 0.3 * Math.sin((2 * Math.PI * k) / 12)) + (k % 3));

/** A (around 100), B (40) and C (10), 30 months (2020-01 to 2022-06), forecast by seasonalModels. */
export function threeSkuDataset(app: FastifyInstance, store: Store): Promise<string> {
  let csv = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40], ['C', 10]] as const) {
    for (let k = 0; k < 30; k++) csv += `${sku},${month2020(k)},${seasonalValue(level, k)}\n`;
  }
  return importDataset(app, store, csv, seasonalModels);
}

/** A (around 100) and B (around 40), 24 months from January 2020. */
export function twoSkuHistory(): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40]] as const) {
    for (let k = 0; k < 24; k++) out += `${sku},${month2020(k)},${level + (k % 5)}\n`;
  }
  return out;
}

export type SnapshotRow = { id: number; name: string | null; bytes: number; cause: string };

/** GET the dataset's snapshots (newest first); reading takes the snapshot no worker saw. */
export async function listSnapshots(app: FastifyInstance, id: string): Promise<SnapshotRow[]> {
  const res = await app.inject({ url: `/api/datasets/${id}/snapshots` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().snapshots;
}

/**
 * twoSkuHistory forecast by seasonal_naive, then `edits` edits of A's sixth month (to 1, 2, …),
 * each forecast: one snapshot of the import and one of each edit. Answers the dataset's id.
 */
export async function datasetWithEdits(app: FastifyInstance, store: Store, edits: number): Promise<string> {
  const id = await importDataset(app, store, twoSkuHistory(), 'seasonal_naive');
  for (let value = 1; value <= edits; value++) {
    expect(await listSnapshots(app, id)).toHaveLength(value);
    const edit = await app.inject({ method: 'PATCH', url: `/api/datasets/${id}/skus/A`, payload: { edits: [{ date: month2020(5), value }] } });
    expect(edit.statusCode, edit.body).toBe(200);
    await completeAllJobs(store);
  }
  return id;
}

/** The Sunday `k` weeks after 2026-01-04, German style (04.01.2026), as a German ERP's export writes it. */
export const sundayDe = (k: number) => {
  const d = new Date(Date.UTC(2026, 0, 4 + 7 * k));
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};
/** The same Sunday, ISO (2026-01-04): how the API answers it. */
export const sundayIso = (k: number) => new Date(Date.UTC(2026, 0, 4 + 7 * k)).toISOString().slice(0, 10);
/** That export's header line. */
export const erpHeader = 'Artikelnummer;Filiale;Woche;Menge\n';

/** 20 weeks (0 to 19) of `skus` at the Berlin store, in the ERP's export (decimal commas), forecast by naive. */
export async function berlinWeeks(app: FastifyInstance, store: Store, skus: string[]): Promise<string> {
  let csv = erpHeader;
  skus.forEach((sku, s) => {
    for (let k = 0; k < 20; k++) csv += `${sku};Berlin;${sundayDe(k)};${20 + s * 5 + (k % 4)},${k % 10}\n`;
  });
  return importDataset(app, store, csv);
}
