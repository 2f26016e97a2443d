import { seededRandom } from './seeded-random.js';

/**
 * The built-in sample: realistic monthly sales for a small consumer-goods catalogue, made by a
 * seeded generator so every run (the web app's "try the sample", the CLI, the benchmark) sees the
 * same numbers. Families of SKUs share a seasonal shape; each SKU has its own level, trend and
 * noise; a share of them runs promotions (a spike, then a dip as customers had stocked up); a tail
 * sells rarely (intermittent demand); some are launched partway through the history.
 */
export interface SampleOptions {
  skus?: number; // default 200
  months?: number; // default 48
  seed?: number; // default 20240101
  startYear?: number; // default 2021
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function poisson(random: () => number, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** Monthly shapes (index 0 = January), mean 1. */
const families: Array<{ name: string; shape: number[] }> = [
  { name: 'GARDEN', shape: [0.4, 0.5, 0.9, 1.4, 1.8, 1.7, 1.5, 1.2, 0.9, 0.6, 0.4, 0.7] },
  { name: 'HEATING', shape: [1.9, 1.6, 1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.7, 1.2, 1.6, 1.7] },
  { name: 'TOYS', shape: [0.6, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1.1, 1.6, 2.4] },
  { name: 'PANTRY', shape: [1, 0.95, 1, 1, 1, 0.95, 0.95, 1, 1, 1.05, 1.05, 1.05] },
  { name: 'BEVERAGE', shape: [0.7, 0.7, 0.85, 1, 1.2, 1.4, 1.5, 1.4, 1.1, 0.85, 0.65, 0.65] },
];

export interface SampleSku {
  sku: string;
  values: number[]; // one per month from the start; NaN before launch
}

/** Generates the catalogue, SKU by SKU (lazily, so 10,000 SKUs cost no more memory than 200). */
export function* sampleSkus(options: SampleOptions = {}): Generator<SampleSku> {
  const skus = options.skus ?? 200;
  const months = options.months ?? 48;
  const random = seededRandom(options.seed ?? 20240101);
  const width = Math.max(4, String(skus).length);
  for (let k = 0; k < skus; k++) {
    const family = families[k % families.length];
    const kind = random();
    const intermittent = kind < 0.2;
    const promotional = !intermittent && kind < 0.45;
    const launch = random() < 0.12 ? Math.floor(months * (0.3 + 0.45 * random())) : 0;
    const level = intermittent ? 0.5 + 3 * random() : Math.exp(Math.log(20) + 2.2 * random());
    const trend = (random() - 0.4) * 0.025; // a few percent a month, more often up
    const seasonStrength = intermittent ? 0.3 : 0.4 + 0.6 * random();
    const noise = 0.08 + 0.25 * random();
    const demandChance = 0.15 + 0.35 * random();
    const values: number[] = [];
    let carryDip = 0;
    for (let t = 0; t < months; t++) {
      if (t < launch) {
        values.push(NaN);
        continue;
      }
      const season = 1 + seasonStrength * (family.shape[t % 12] - 1);
      const growth = Math.exp(trend * (t - launch));
      // A launch ramps up over its first months.
      const ramp = launch > 0 ? Math.min(1, (t - launch + 1) / 4) : 1;
      let mean = level * season * growth * ramp;
      if (intermittent) {
        values.push(random() < demandChance ? 1 + poisson(random, mean) : 0);
        continue;
      }
      if (carryDip > 0) {
        mean *= 0.7;
        carryDip--;
      }
      if (promotional && random() < 0.08) {
        mean *= 1.8 + 1.4 * random();
        carryDip = 1;
      }
      const value = mean * Math.exp(noise * normal(random) - (noise * noise) / 2);
      values.push(Math.max(0, Math.round(value)));
    }
    const kindName = intermittent ? 'SPARE' : family.name;
    yield { sku: `${kindName}-${String(k + 1).padStart(width, '0')}`, values };
  }
}

/** The sample as CSV text chunks (one per SKU): long format `sku,date,sales`. */
export function* sampleCsvChunks(options: SampleOptions = {}): Generator<string> {
  const startYear = options.startYear ?? 2021;
  yield 'sku,date,sales\n';
  for (const { sku, values } of sampleSkus(options)) {
    let chunk = '';
    for (let t = 0; t < values.length; t++) {
      if (Number.isNaN(values[t])) continue;
      const year = startYear + Math.floor(t / 12);
      const month = String((t % 12) + 1).padStart(2, '0');
      chunk += `${sku},${year}-${month}-01,${values[t]}\n`;
    }
    yield chunk;
  }
}

export function sampleCsv(options: SampleOptions = {}): string {
  return [...sampleCsvChunks(options)].join('');
}
