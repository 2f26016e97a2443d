/**
 * Builds a held-out set of short histories for bench:heldout from another competition's files and
 * writes it OUTSIDE the repository (default ~/.cache/skucast/heldout/<name>.jsonl): one JSON
 * object a line in the shape of m3.jsonl (`id`, `period`, `frequency`, `horizon`, `train`,
 * `test`). Nothing of it is committed: the point of a held-out set is that no choice in the
 * engine was made looking at it.
 *
 * Usage: npm run heldout:data -- --tourism FILE [--name tourism] [--out PATH]
 *        npm run heldout:data -- --m4-weekly TRAIN.csv --m4-weekly-test TEST.csv [--name m4-weekly]
 *
 *   --tourism FILE  the tourism forecasting competition's monthly and quarterly file
 *                   (Athanasopoulos, Hyndman, Song and Wu 2011; Kaggle "tourism2",
 *                   tourism2_revision2.csv): one column a series (header m1..m366, q1..q427), rows
 *                   in time order, each column ending on the last row (blank cells before a series
 *                   starts; one ending earlier keeps its own last value). That file is the
 *                   competition's training data, so the last 24 months / 8 quarters of each column
 *                   (the competition's horizons) are held out as `test`.
 *   --m4-weekly     M4 (Makridakis, Spiliotis and Assimakopoulos 2020) weekly files as published
 *                   in Mcompetitions/M4-methods (Dataset/Train/Weekly-train.csv and
 *                   Dataset/Test/Weekly-test.csv): one row a series ("W1","v1",...), horizon 13.
 * The file is written to a temporary name and renamed, so a bad input leaves nothing half-written.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface HeldoutSeries {
  id: string;
  period: 'MONTHLY' | 'QUARTERLY' | 'WEEKLY';
  frequency: 12 | 4 | 52;
  horizon: number;
  train: number[];
  test: number[];
}

export class HeldoutDataError extends Error {}

const tourismKinds = {
  m: { period: 'MONTHLY', frequency: 12, horizon: 24 },
  q: { period: 'QUARTERLY', frequency: 4, horizon: 8 },
} as const;

function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function number(cell: string, where: string): number {
  const v = Number(cell);
  if (cell === '' || !Number.isFinite(v)) throw new HeldoutDataError(`${where}: '${cell}' is not a number`);
  return v;
}

/** Series of the tourism competition's wide file (or an excerpt of its columns and last rows). */
export function tourismSeries(csv: string, source = 'tourism'): HeldoutSeries[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new HeldoutDataError(`${source}: needs a header and at least one row`);
  const header = cells(lines[0]);
  const columns = header.map((name, col) => ({ name, col })).filter((c) => c.name !== '');
  const bad = columns.find((c) => !/^[mq]\d+$/.test(c.name));
  if (bad) throw new HeldoutDataError(`${source}: column '${bad.name}' is not a tourism series name (m1.., q1..)`);
  const rows = lines.slice(1).map(cells);
  const out: HeldoutSeries[] = [];
  for (const { name, col } of columns) {
    const kind = tourismKinds[name[0] as 'm' | 'q'];
    // Series start on different rows (blank above) and end on the last one; a blank between two
    // values is an error, and so would be a tail of blanks were a series to end early.
    const filled = rows.map((r) => r[col] ?? '');
    const first = filled.findIndex((c) => c !== '');
    let last = filled.length - 1;
    while (last >= 0 && filled[last] === '') last--;
    const values: number[] = [];
    for (let i = Math.max(first, 0); i <= last; i++) {
      if (filled[i] === '') throw new HeldoutDataError(`${source}: ${name} has a blank cell on row ${i + 2} inside the series`);
      values.push(number(filled[i], `${source}: ${name} row ${i + 2}`));
    }
    if (values.length <= kind.horizon) throw new HeldoutDataError(`${source}: ${name} has ${values.length} values, not more than its horizon ${kind.horizon}`);
    out.push({ id: `tourism-${name}`, period: kind.period, frequency: kind.frequency, horizon: kind.horizon, train: values.slice(0, -kind.horizon), test: values.slice(-kind.horizon) });
  }
  return out;
}

/** Series of an M4 train/test pair (one row a series, the id first); weekly: frequency 52, horizon 13. */
export function m4Series(trainCsv: string, testCsv: string, horizon = 13): HeldoutSeries[] {
  const parse = (csv: string, what: string) => {
    const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
    const byId = new Map<string, number[]>();
    for (const [i, line] of lines.slice(1).entries()) {
      const [id, ...rest] = cells(line);
      const values = rest.filter((c) => c !== '' && c !== 'NA').map((c) => number(c, `${what} ${id} (line ${i + 2})`));
      byId.set(id, values);
    }
    return byId;
  };
  const train = parse(trainCsv, 'M4 train');
  const test = parse(testCsv, 'M4 test');
  const out: HeldoutSeries[] = [];
  for (const [id, values] of train) {
    const t = test.get(id);
    if (!t) throw new HeldoutDataError(`M4: series ${id} has no test row`);
    if (t.length !== horizon) throw new HeldoutDataError(`M4: series ${id} has ${t.length} test values, expected ${horizon}`);
    out.push({ id: `m4-${id}`, period: 'WEEKLY', frequency: 52, horizon, train: values, test: t });
  }
  return out;
}

const frequencies: Record<number, HeldoutSeries['period']> = { 12: 'MONTHLY', 4: 'QUARTERLY', 52: 'WEEKLY' };

/**
 * Reads a held-out set (one JSON object a line, as written above) and refuses anything the bench
 * could only score wrongly: a line that is not JSON, a missing or non-finite value, a frequency
 * other than 12, 4 or 52 (a yearly series would be scored as quarterly), a test part whose length
 * is not the horizon, a repeated id. The message names the line, so nothing is silently dropped.
 */
export function parseHeldoutSet(text: string, source: string): HeldoutSeries[] {
  const out: HeldoutSeries[] = [];
  const seen = new Set<string>();
  const finite = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const where = `${source} line ${i + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new HeldoutDataError(`${where}: not a JSON object`);
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new HeldoutDataError(`${where}: not a JSON object`);
    const { id, frequency, horizon, train, test } = o;
    if (typeof id !== 'string' || id === '') throw new HeldoutDataError(`${where}: 'id' must be a non-empty string`);
    if (seen.has(id)) throw new HeldoutDataError(`${where}: id '${id}' repeats an earlier line`);
    seen.add(id);
    if (typeof frequency !== 'number' || !(frequency in frequencies)) throw new HeldoutDataError(`${where} (${id}): 'frequency' must be 12, 4 or 52, not ${JSON.stringify(frequency)}`);
    if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1) throw new HeldoutDataError(`${where} (${id}): 'horizon' must be a positive integer, not ${JSON.stringify(horizon)}`);
    if (!finite(train) || train.length < 2) throw new HeldoutDataError(`${where} (${id}): 'train' must be an array of at least 2 finite numbers`);
    if (!finite(test) || test.length !== horizon) throw new HeldoutDataError(`${where} (${id}): 'test' must be ${horizon} finite numbers (the horizon), not ${Array.isArray(test) ? test.length : JSON.stringify(test)}`);
    out.push({ id, period: frequencies[frequency], frequency: frequency as HeldoutSeries['frequency'], horizon, train, test });
  }
  if (out.length === 0) throw new HeldoutDataError(`${source}: no series`);
  return out;
}

function parseArgs(argv: string[]) {
  const opts = { tourism: '', m4Weekly: '', m4WeeklyTest: '', name: '', out: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new HeldoutDataError(`${a} needs a value`);
      return v;
    };
    if (a === '--tourism') opts.tourism = next();
    else if (a === '--m4-weekly') opts.m4Weekly = next();
    else if (a === '--m4-weekly-test') opts.m4WeeklyTest = next();
    else if (a === '--name') opts.name = next();
    else if (a === '--out') opts.out = next();
    else throw new HeldoutDataError(`unknown option ${a}`);
  }
  if (!opts.tourism === !opts.m4Weekly) throw new HeldoutDataError('give either --tourism FILE or --m4-weekly TRAIN --m4-weekly-test TEST');
  if (opts.m4Weekly && !opts.m4WeeklyTest) throw new HeldoutDataError('--m4-weekly needs --m4-weekly-test TEST');
  return opts;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const series = opts.tourism
    ? tourismSeries(readFileSync(opts.tourism, 'utf8'), opts.tourism)
    : m4Series(readFileSync(opts.m4Weekly, 'utf8'), readFileSync(opts.m4WeeklyTest, 'utf8'));
  const name = opts.name || (opts.tourism ? 'tourism' : 'm4-weekly');
  const out = opts.out || join(homedir(), '.cache', 'skucast', 'heldout', `${name}.jsonl`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, series.map((s) => JSON.stringify(s)).join('\n') + '\n');
  renameSync(`${out}.tmp`, out);
  const count = (f: number) => series.filter((s) => s.frequency === f).length;
  console.log(`wrote ${series.length} series (${count(12)} monthly, ${count(4)} quarterly, ${count(52)} weekly) to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    if (!(e instanceof HeldoutDataError) && !(e instanceof Error && 'code' in e)) throw e;
    console.error(`heldout-data: ${e.message}`);
    process.exit(2);
  }
}
