import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sampleCsv } from './sample-dataset.js';

/**
 * `npm run sample`: writes the built-in sample dataset to data/sample/sample-sales.csv (or the
 * path given), the file the web app offers for download. Options: --skus N, --out FILE.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = resolve(arg('--out') ?? 'data/sample/sample-sales.csv');
const skus = arg('--skus') ? Number(arg('--skus')) : undefined;
const csv = sampleCsv({ skus });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, csv);
console.log(`wrote ${out}: ${csv.split('\n').length - 2} rows`);
