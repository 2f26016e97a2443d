/**
 * `npm run bench:import [-- --lines N] [-- --frequency monthly] [-- --json]`: a real-world order
 * export at scale. Generates an order-line file (default 1,000,000 lines: timestamps like
 * `04/19/19 08:46`, 19 products, quoted addresses, repeated headers and bare-comma lines), then
 * imports it in a fresh child process through importCsv (the code path of POST /api/datasets)
 * with `frequency=monthly` and the default models, and prints the import seconds, the child's
 * peak RSS and whether every product's monthly sums came out exact. Goal: <= 10 s, <= 300 MB.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cliArgs } from '../tests/support/cli-args.js';
import type { Frequency } from '../src/datasets/dataset.js';
import { importCsv } from '../src/datasets/import-dataset.js';
import { orderExport } from '../src/datasets/testing/order-export.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';

const { values: args } = cliArgs('bench:import', {
  lines: { type: 'string', default: '1000000' },
  frequency: { type: 'string', default: 'monthly' },
  seed: { type: 'string', default: '2019' },
  child: { type: 'string' }, // internal: import this file and print JSON
  json: { type: 'boolean', default: false },
});

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

async function child(file: string): Promise<void> {
  const dir = path.dirname(file);
  const store = await openSqliteStore(path.join(dir, 'bench.db'));
  await store.migrate();
  const t0 = performance.now();
  const outcome = await importCsv(store, createReadStream(file, { highWaterMark: 256 * 1024 }), { name: 'orders', frequency: args.frequency as Frequency });
  const seconds = (performance.now() - t0) / 1000;
  const series = await store.getSeriesMany(outcome.datasetId!);
  const sums: Record<string, Record<string, number>> = {};
  for (const s of series) sums[s.sku] = Object.fromEntries(s.dates.map((d, i) => [d, s.original[i]]));
  await store.close();
  process.stdout.write(JSON.stringify({
    seconds, peakRss: process.resourceUsage().maxRSS * 1024, report: { ...outcome.report, gaps: outcome.report.gaps.length, tooShort: outcome.report.tooShort.length },
    jobs: outcome.jobsCreated, sums,
  }));
}

async function main(): Promise<void> {
  if (args.child) return child(args.child);
  const lines = Number(args.lines);
  const dir = mkdtempSync(path.join(tmpdir(), 'skucast-bench-import-'));
  try {
    const file = path.join(dir, 'orders.csv');
    const headers = Math.round(lines * 0.0019);
    const empties = Math.round(lines * 0.0029);
    const { chunks, answer } = orderExport({ lines: lines - headers - empties, repeatedHeaders: headers, emptyLines: empties, seed: Number(args.seed) });
    const out = createWriteStream(file);
    for (const c of chunks) if (!out.write(c)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    console.log(`generated ${lines} lines (${headers} repeated headers, ${empties} bare-comma lines): ${mb(statSync(file).size)}`);
    const self = fileURLToPath(import.meta.url);
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const result = JSON.parse(execFileSync(process.execPath, [self, '--child', file, '--frequency', args.frequency], { maxBuffer: 64 * 1024 * 1024 }).toString()) as {
      seconds: number; peakRss: number; jobs: number; report: { rows: number; skus: number; setAsideCount: number; rejectedCount: number; duplicates: number };
      sums: Record<string, Record<string, number>>;
    };
    let exact = args.frequency === 'monthly';
    if (exact) {
      for (const [product, months] of answer.monthly) for (const [month, sum] of months) if (result.sums[product]?.[month] !== sum) exact = false;
      if (Object.keys(result.sums).length !== answer.monthly.size) exact = false;
    }
    const r = result.report;
    console.log(`import: ${result.seconds.toFixed(2)} s, peak RSS ${mb(result.peakRss)} (child process); ${r.rows} rows, ${r.skus} SKUs, ` +
      `${r.setAsideCount} set aside, ${r.rejectedCount} rejected, ${r.duplicates} summed into periods, ${result.jobs} jobs; monthly sums exact: ${exact ? 'yes' : args.frequency === 'monthly' ? 'NO' : 'n/a'}`);
    console.log(`goals: <= 10 s ${result.seconds <= 10 ? 'met' : 'MISSED'}, <= 300 MB ${result.peakRss <= 300 * 1048576 ? 'met' : 'MISSED'}; load average before the import ${load}`);
    if (args.json) console.log(JSON.stringify({ lines, seconds: result.seconds, peak_rss_mb: result.peakRss / 1048576, exact, load }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
