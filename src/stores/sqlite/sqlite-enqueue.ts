import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import { emptyEnqueueResult, inKeyOrder, jobInsertValues } from '../enqueue-values.js';
import type { Statement } from 'better-sqlite3';
import type { SqliteContext } from './sqlite-context.js';

/** Rows per INSERT at most; a shorter run goes in power-of-two pieces (twelve statement shapes). */
const insertChunkRows = 2048;
const valuesPerRow = 4;
const rowTuple = '(?, ?, ?, ?)';

/**
 * enqueue inside the caller's transaction (enqueue itself, createDataset, updateSeries...).
 * The batch goes in inKeyOrder (each run of one dataset and priority by SKU, so the SKU-keyed
 * indexes are written in order). Rows are inserted up to 2,048 per statement (ids are consecutive:
 * we hold the write lock), in runs of jobs that share their dataset, method, reason, priority,
 * attempts and settings (an import's jobs all do), bound once per statement; then reuse and
 * supersede run set-based over id ranges of the batch, and only where they can change something:
 * reuse when some job has an input hash and some completed job has one; supersede over the whole
 * batch when it holds the same work twice, else over the pieces (one INSERT's rows) whose SKU span
 * meets a pending or running job of their dataset (supersedeScope). Per-row work in JS is the
 * insert's four values and the duplicate check.
 */
export function enqueueInTransaction(ctx: SqliteContext, batch: NewJob[], options: EnqueueOptions): EnqueueResult {
  const result = emptyEnqueueResult(options);
  if (batch.length === 0) return result;
  const { jobs, runs } = inKeyOrder(batch);
  const now = ctx.now();
  const refs = datasetRefs(ctx, jobs);
  const { scope: supersede, openDatasets } = (options.supersede ?? true) ? supersedeScope(ctx, jobs, refs, runs === 1) : noSupersede;
  // The id ranges supersede runs over: the whole batch, or (scope 'spans') the pieces whose SKU
  // span meets an open job of their dataset (job-supersede-span.sql).
  const supersedeRanges: Array<{ firstId: number; lastId: number }> = [];
  const spanProbe = supersede === 'spans' ? ctx.stmt('job-supersede-span') : null;
  const valuesOf = jobInsertValues();
  const turns = datasetTurns(ctx, now);
  // The batch's ref (its rows hold it: migration 030) and range, taken first: we hold the write
  // lock, so the next ids are the ones the rows get (checked after the insert).
  const nextId = (ctx.stmt('job-next-id').get() as { id: number }).id;
  const { ref: batchRef } = ctx.stmt('job-enqueue-batch')
    .get({ batchId: options.batchId, firstId: nextId, lastId: nextId + jobs.length - 1 }) as { ref: number };
  let firstId = 0;
  let lastId = 0;
  const args: unknown[] = [];
  let shared: Record<string, unknown> | null = null;
  const flush = () => {
    for (let rows = args.length / valuesPerRow, at = 0; rows > 0;) {
      const size = rows >= insertChunkRows ? insertChunkRows : 2 ** Math.floor(Math.log2(rows));
      const slice = at === 0 && size * valuesPerRow === args.length ? args : args.slice(at, at + size * valuesPerRow);
      const datasetRef = shared!.datasetRef as number | null;
      const mayMeet = spanProbe !== null && openDatasets.has(datasetRef)
        && pieceMayMeetOpenJobs(spanProbe, datasetRef, slice, size, firstId === 0 ? Number.MAX_SAFE_INTEGER : firstId);
      lastId = Number(insertStatement(ctx, size).run(slice, shared!).lastInsertRowid);
      if (firstId === 0) firstId = lastId - size + 1;
      if (mayMeet) addRange(supersedeRanges, lastId - size + 1, lastId);
      at += size * valuesPerRow;
      rows -= size;
    }
    args.length = 0;
  };
  let hashed = false;
  for (const job of jobs) {
    const { maxAttempts, settingsText } = valuesOf(job);
    if (
      shared === null || shared.datasetId !== (job.datasetId ?? null) || shared.method !== job.method || shared.reason !== job.reason
      || shared.priority !== job.priority || shared.maxAttempts !== maxAttempts || shared.settings !== settingsText
    ) {
      if (args.length > 0) flush();
      shared = {
        batchRef, now, datasetId: job.datasetId ?? null, datasetRef: refs.get(job.datasetId ?? null), method: job.method, reason: job.reason,
        priority: job.priority, maxAttempts, settings: settingsText,
      };
    }
    const inputHash = job.inputHash ?? null;
    if (inputHash !== null) hashed = true;
    args.push(job.sku, job.modelId, inputHash, turns.next(shared.datasetId as string | null, shared.datasetRef as number | null, job.priority));
    if (args.length === insertChunkRows * valuesPerRow) flush();
  }
  if (args.length > 0) flush();
  if (firstId !== nextId || lastId - firstId + 1 !== jobs.length) {
    throw new Error(`enqueue: expected ids ${nextId}..${nextId + jobs.length - 1}, got ${firstId}..${lastId}`);
  }
  ctx.stmt('job-enqueue-count').run({ inserted: jobs.length });
  ctx.stmt('queue-version-bump').run();
  result.jobsCreated = jobs.length;
  result.firstId = firstId;
  result.lastId = lastId;
  if ((options.reuse ?? true) && hashed && (ctx.stmt('job-reusable').get() as { reusable: number }).reusable) {
    result.jobsReused = ctx.stmt('job-reuse').run({ firstId, lastId, now }).changes;
  }
  turns.save(result.jobsReused > 0 ? { firstId, lastId } : null);
  if (supersede === 'all') supersedeRanges.push({ firstId, lastId });
  for (const range of supersedeRanges) result.jobsCancelled += ctx.stmt('job-supersede').run({ ...range, now }).changes;
  return result;
}

/** The INSERT of `rows` rows (job-enqueue.sql with its VALUES tuple repeated), prepared once per size. */
function insertStatement(ctx: SqliteContext, rows: number) {
  const text = ctx.text('job-enqueue');
  return ctx.prepare(rows === 1 ? text : text.replace(rowTuple, Array(rows).fill(rowTuple).join(',\n')));
}

/** supersedeScope's answer; `openDatasets` holds datasets' refs (NULL: jobs without a dataset). */
interface SupersedeScope {
  scope: 'none' | 'all' | 'spans';
  openDatasets: Set<number | null>;
}

const noSupersede: SupersedeScope = { scope: 'none', openDatasets: new Set() };

/**
 * The ref of each dataset of the batch (migration 030: the rows hold it, not the id), a row of
 * job_datasets made for an id new to the jobs; NULL for jobs without a dataset. The batch is in
 * runs of one dataset (inKeyOrder): one look-up per run at most.
 */
function datasetRefs(ctx: SqliteContext, jobs: NewJob[]): Map<string | null, number | null> {
  const refs = new Map<string | null, number | null>();
  for (let i = 0; i < jobs.length; i++) {
    if (i > 0 && jobs[i].datasetId === jobs[i - 1].datasetId) continue;
    const datasetId = jobs[i].datasetId ?? null;
    if (refs.has(datasetId)) continue;
    refs.set(datasetId, datasetId === null ? null : datasetRef(ctx, datasetId));
  }
  return refs;
}

/** A dataset's ref: the one it has (ctx.datasetRef), else a new one (job-enqueue-dataset.sql). */
function datasetRef(ctx: SqliteContext, datasetId: string): number {
  return ctx.datasetRef(datasetId) ?? (ctx.stmt('job-enqueue-dataset').get({ datasetId }) as { ref: number }).ref;
}

/**
 * Where supersede must look, decided before the insert. 'none': no dataset of the batch has a
 * pending or running job (one seek per dataset), and the batch does not hold the same work twice:
 * a new dataset's import, the common bulk case. 'all': the batch holds the same work twice, so
 * its own rows may supersede each other. 'spans': only jobs already open can be superseded, and
 * only in the datasets of `openDatasets`; each piece of the insert then asks whether its SKU span
 * meets one (pieceMayMeetOpenJobs), and supersede seeks only the rows of pieces that might.
 */
function supersedeScope(ctx: SqliteContext, jobs: NewJob[], refs: Map<string | null, number | null>, oneRun: boolean): SupersedeScope {
  if (holdsSameWorkTwice(jobs, oneRun)) return { scope: 'all', openDatasets: new Set() };
  const openDatasets = new Set<number | null>();
  const open = ctx.stmt('job-dataset-open');
  for (const datasetRef of refs.values()) {
    if ((open.get({ datasetRef }) as { open: number }).open) openDatasets.add(datasetRef);
  }
  return openDatasets.size === 0 ? noSupersede : { scope: 'spans', openDatasets };
}

/**
 * Whether the batch holds the same work twice: same dataset (NULL with NULL), SKU, model and
 * method, nothing else (job-supersede.sql).
 */
function holdsSameWorkTwice(jobs: NewJob[], oneRun: boolean): boolean {
  // A batch of one run (an import: one dataset and method) is in SKU order (inKeyOrder): the same
  // work would sit among the neighbours of one SKU.
  if (oneRun) {
    for (let i = 1, start = 0; i < jobs.length; i++) {
      const job = jobs[i];
      if (job.sku !== jobs[start].sku) {
        start = i;
        continue;
      }
      for (let k = start; k < i; k++) if (jobs[k].modelId === job.modelId && jobs[k].method === job.method) return true;
    }
    return false;
  }
  // Otherwise a map keyed by SKU alone: no key string built per job, a list only for a SKU met twice.
  const seen = new Map<string, NewJob | NewJob[]>();
  for (const job of jobs) {
    const same = seen.get(job.sku);
    if (same === undefined) {
      seen.set(job.sku, job);
      continue;
    }
    const sameWork = (other: NewJob) => (other.datasetId ?? null) === (job.datasetId ?? null)
      && other.modelId === job.modelId && other.method === job.method;
    if (Array.isArray(same) ? same.some(sameWork) : sameWork(same)) return true;
    if (Array.isArray(same)) same.push(job);
    else seen.set(job.sku, [same, job]);
  }
  return false;
}

/**
 * Before one INSERT's rows go in (`args`: `rows` tuples whose first value is the SKU, in
 * code-unit order): might one of them supersede an open job of the dataset (its ref) older than the batch
 * (id below `before`)? job-supersede-span.sql walks jobs_work over the piece's SKU span, at most
 * `rows` entries. The span's ends are the piece's first and last SKU: in code-unit order they are
 * its least and greatest in SQLite's BINARY (UTF-8) order too unless one of them holds a code unit
 * at or past U+D800 (surrogates sort below U+E000..U+FFFF in UTF-16 and above them in UTF-8); such a
 * piece is answered "might" without a walk.
 */
function pieceMayMeetOpenJobs(probe: Statement, datasetRef: number | null, args: unknown[], rows: number, before: number): boolean {
  const low = args[0] as string;
  const high = args[(rows - 1) * valuesPerRow] as string;
  if (beyondBmpOrder.test(low) || beyondBmpOrder.test(high)) return true;
  const { walked, open } = probe.get({ datasetRef, low, high, before, budget: rows }) as { walked: number; open: number };
  return open !== 0 || walked >= rows;
}

/** A code unit whose order differs between UTF-16 and UTF-8 comparison (see pieceMayMeetOpenJobs). */
const beyondBmpOrder = /[\uD800-\uFFFF]/;

/** Appends [firstId, lastId] to ranges, joined to the last range when they touch. */
function addRange(ranges: Array<{ firstId: number; lastId: number }>, firstId: number, lastId: number): void {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.lastId + 1 === firstId) last.lastId = lastId;
  else ranges.push({ firstId, lastId });
}

/** The wake-ups an enqueue result calls for, once its transaction has committed. */
export function wakeAfterEnqueue(ctx: SqliteContext, result: EnqueueResult | null): void {
  if (!result) return;
  if (result.jobsCreated > result.jobsReused) ctx.wake('jobs');
  if (result.jobsCancelled > 0) ctx.wake('cancel');
}

/**
 * The turns of one enqueue, per (dataset, priority): a dataset whose last job is still waiting
 * continues after it; any other starts at the queue's head at that priority (where claim is). Two
 * reads per group (a batch usually has one or two groups), and one write per group when the batch is in.
 */
function datasetTurns(ctx: SqliteContext, now: number) {
  const groups = new Map<number, Map<string, number>>();
  // The group of the previous job, whose next turn is kept here until another group comes (an
  // import's jobs are one group: two Map lookups a job saved).
  let current: { byDataset: Map<string, number>; datasetKey: string; priority: number; nextTurn: number } | null = null;
  const putBack = () => {
    if (current) current.byDataset.set(current.datasetKey, current.nextTurn);
  };
  return {
    next(datasetId: string | null, datasetRef: number | null, priority: number): number {
      const datasetKey = datasetId ?? '';
      if (current && current.priority === priority && current.datasetKey === datasetKey) return current.nextTurn++;
      putBack();
      let byDataset = groups.get(priority);
      if (!byDataset) groups.set(priority, (byDataset = new Map()));
      let turn = byDataset.get(datasetKey);
      if (turn === undefined) {
        const last = ctx.stmt('job-turn-last').get({ datasetKey, datasetRef, priority }) as { last_turn: number; waiting: number } | undefined;
        if (last?.waiting) turn = last.last_turn + 1;
        else turn = (ctx.stmt('job-turn-head').get({ priority, now }) as { turn: number | null } | undefined)?.turn ?? 0;
      }
      current = { byDataset, datasetKey, priority, nextTurn: turn + 1 };
      return turn;
    },
    /**
     * Once the batch is in. When reuse completed some of it (`reused`: the batch's id range), each
     * group saves its last waiting turn instead, and a group with none waiting saves nothing.
     */
    save(reused: { firstId: number; lastId: number } | null): void {
      putBack();
      const stmt = ctx.stmt('job-turn-save');
      if (reused) {
        const rows = ctx.stmt('job-turn-pending').all(reused) as Array<{ dataset_key: string; priority: number; last_turn: number }>;
        for (const row of rows) stmt.run({ datasetKey: row.dataset_key, priority: row.priority, lastTurn: row.last_turn });
        return;
      }
      for (const [priority, byDataset] of groups) {
        for (const [datasetKey, nextTurn] of byDataset) stmt.run({ datasetKey, priority, lastTurn: nextTurn - 1 });
      }
    },
  };
}
