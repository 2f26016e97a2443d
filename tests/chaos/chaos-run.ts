/**
 * One chaos run on one store: an API process and K worker processes (`node server.js worker
 * --handler noop`) on a fresh database; jobs arrive through the API (POST /api/jobs, rows of sales)
 * at a steady pace over the run; every few seconds a random worker is SIGKILLed and started again;
 * halfway through, the API is SIGKILLed and started again. Then the queue drains, everything is
 * stopped, and chaos-evidence.ts judges the database and the workers' log lines.
 *
 * Everything random (which worker dies, when, how long each worker's no-op jobs take) comes from
 * one seed, so a failing run can be replayed with the same choices.
 */
import type { Store } from '../../src/stores/store.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';
import { judgeChaos, type ChaosFindings, type KillRecord } from './chaos-evidence.js';
import { seededRandom } from '../../src/datasets/seeded-random.js';

export interface ChaosOptions {
  store: 'sqlite' | 'postgres';
  jobs: number;
  workers: number;
  /** How long jobs keep arriving and workers keep dying; the drain comes after. */
  seconds: number;
  killEveryMs: number;
  leaseMs: number;
  concurrency: number;
  /** Each worker process gets a seeded --noop-ms in [min, max]. */
  noopMinMs: number;
  noopMaxMs: number;
  seed: number;
  /** Give up waiting for the drain after this long (a violation). */
  drainTimeoutMs: number;
  /** Progress lines go here (console.log by default). */
  say?: (line: string) => void;
}

export interface ChaosReport extends ChaosFindings {
  store: 'sqlite' | 'postgres';
  jobsRequested: number;
  kills: number;
  apiRestarts: number;
  workerStarts: number;
  /** Status polls of GET /api/jobs/status that got no answer (only while the API was down). */
  apiPollsMissed: number;
  apiPolls: number;
  elapsedMs: number;
  seed: number;
  leaseMs: number;
}

/** Five cheap models: each SKU becomes five jobs. The no-op handler runs none of them. */
const models = ['naive', 'mean', 'seasonal_naive', 'moving_average', 'simple_exponential_smoothing'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 36 months of sales for SKU number `n`: unique values, so no job can reuse another's result. */
function salesRows(sku: string, n: number): Array<{ sku: string; date: string; sales: number }> {
  return Array.from({ length: 36 }, (_, t) => ({
    sku,
    date: `${2020 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`,
    sales: 1000 + n + ((t * 37 + n * 11) % 50),
  }));
}

async function startApi(db: TestDatabase, generation: number): Promise<{ proc: SkucastProcess; url: string }> {
  const proc = startSkucast(`api-${generation}`, ['api', '--port', '0'], { ...db.env, API_TOKEN: '' });
  const line = await proc.waitForLine((l) => typeof l.url === 'string' && /listening/.test(String(l.msg)), 30_000).catch(async (error: Error) => {
    await proc.exited.catch(() => undefined);
    throw new Error(`${error.message.split(';')[0]}; stderr:\n${proc.stderr.join('\n')}`);
  });
  return { proc, url: String(line.url) };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.say ?? ((line: string) => console.log(line));
  const random = seededRandom(options.seed);
  const started = Date.now();
  const db = await createTestDatabase(`chaos_${options.store}`, options.store);
  let store: Store | null = null;
  const allWorkers: SkucastProcess[] = [];
  const killRecords: KillRecord[] = [];
  let apiRestarts = 0;
  let apiPolls = 0;
  let apiPollsMissed = 0;
  try {
    store = await db.open(); // migrates once, before the processes race to
    let api = await startApi(db, 0);
    let apiReady: Promise<void> = Promise.resolve();

    const slots: SkucastProcess[] = [];
    let workerStarts = 0;
    const startWorker = (slot: number) => {
      const noopMs = options.noopMinMs + Math.floor(random() * (options.noopMaxMs - options.noopMinMs + 1));
      const id = `chaos-w${slot}-g${workerStarts++}`;
      const proc = startSkucast(id, [
        // Its jobs come as rows of sales (a dataset each batch): a test database, run as no-ops.
        'worker', '--handler', 'noop', '--noop-with-datasets', '--noop-ms', String(noopMs), '--lease-ms', String(options.leaseMs),
        '--concurrency', String(options.concurrency), '--worker-id', id, '--shutdown-ms', '10000',
      ], db.env);
      slots[slot] = proc;
      allWorkers.push(proc);
    };
    for (let slot = 0; slot < options.workers; slot++) startWorker(slot);

    // Jobs arrive in batches over 90% of the run, so kills always find work in flight.
    const skusTotal = Math.ceil(options.jobs / models.length);
    const windowMs = options.seconds * 1000;
    const batchEveryMs = 500;
    const batches = Math.max(1, Math.floor((windowMs * 0.9) / batchEveryMs));
    const enqueued = { jobs: 0, reused: 0, skipped: 0 };
    let posting: Promise<unknown> = Promise.resolve();
    let posterFailure: string | null = null;
    let postingDone = false;
    const poster = (async () => {
      let next = 0;
      for (let b = 0; b < batches && next < skusTotal; b++) {
        const due = started + b * batchEveryMs;
        if (Date.now() < due) await sleep(due - Date.now());
        const count = Math.ceil((skusTotal - next) / (batches - b));
        const data = Array.from({ length: count }, (_, i) => salesRows(`chaos-${b}-${i}`, next + i)).flat();
        next += count;
        await apiReady;
        // A POST is never cut off by the API restart (its answer would be unknown): the restart waits for it.
        const request = fetch(new URL('/api/jobs', api.url), {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data, models, reason: 'manual_trigger' }),
        });
        posting = request.catch(() => undefined);
        const res = await request;
        if (res.status !== 201) throw new Error(`POST /api/jobs answered ${res.status}: ${await res.text()}`);
        const answer = (await res.json()) as { jobsCreated: number; jobsReused: number; jobsSkipped: number };
        enqueued.jobs += answer.jobsCreated;
        enqueued.reused += answer.jobsReused;
        enqueued.skipped += answer.jobsSkipped;
      }
    })().catch((error: unknown) => {
      posterFailure = `enqueue through the API failed: ${(error as Error).message}`;
    }).finally(() => {
      postingDone = true;
    });

    // The API's view while all this happens: polls that fail are counted, not fatal.
    let polling = true;
    const poller = (async () => {
      while (polling) {
        apiPolls++;
        try {
          const res = await fetch(new URL('/api/jobs/status?limit=1', api.url), { signal: AbortSignal.timeout(5000) });
          if (res.status >= 500) throw new Error(String(res.status));
          await res.arrayBuffer();
        } catch {
          apiPollsMissed++;
        }
        await sleep(250);
      }
    })();

    // Kills every ~killEveryMs (+-25%) until the window closes and, after it, until the queue has
    // drained (so the backlog is worked off under fire too); the API restart halfway through.
    let nextKill = started + options.killEveryMs * (0.75 + random() * 0.5);
    let apiRestartAt = started + windowMs / 2;
    const drainDeadline = started + windowMs + options.drainTimeoutMs;
    let drained = false;
    for (;;) {
      const now = Date.now();
      if (now >= started + windowMs) {
        if (!postingDone) await poster;
        const s = await store.summary();
        if (s.pending === 0 && s.running === 0 && s.total >= enqueued.jobs) {
          drained = true;
          break;
        }
        if (now > drainDeadline) break;
      }
      if (now >= apiRestartAt) {
        apiRestartAt = Infinity;
        let restarted!: () => void;
        apiReady = new Promise((resolve) => (restarted = resolve));
        await posting;
        api.proc.child.kill('SIGKILL');
        await api.proc.exited;
        api = await startApi(db, ++apiRestarts);
        restarted();
        say(`[chaos:${options.store}] ${((Date.now() - started) / 1000).toFixed(1)}s API killed and restarted`);
      }
      if (now >= nextKill) {
        const slot = Math.floor(random() * slots.length);
        const victim = slots[slot];
        const killedAt = Date.now();
        victim.child.kill('SIGKILL');
        await victim.exited;
        killRecords.push({ workerId: victim.name, killedAt, lines: victim.lines });
        startWorker(slot);
        say(`[chaos:${options.store}] ${((Date.now() - started) / 1000).toFixed(1)}s SIGKILL ${victim.name}, started ${slots[slot].name}`);
        nextKill = Date.now() + options.killEveryMs * (0.75 + random() * 0.5);
      }
      await sleep(Math.max(10, Math.min(nextKill, apiRestartAt, Date.now() + 200) - Date.now()));
    }
    polling = false;
    await poller;

    // A process signalled while still loading has no handler yet: wait until each says it started.
    await Promise.all(slots.map((w) => w.waitForLine((l) => l.event === 'start', 30_000).catch(() => undefined)));
    for (const w of slots) w.child.kill('SIGTERM');
    api.proc.child.kill('SIGTERM');
    const finals = [...slots, api.proc];
    const exits = await Promise.all(finals.map((p) => p.exited));
    const badExits = finals
      .map((p, i) => (exits[i].code === 0 ? null : `${p.name} (code ${exits[i].code}, signal ${exits[i].signal}): ${p.stderr.slice(-3).join(' | ')}`))
      .filter((x): x is string => x !== null);
    const leaked = await stopAll();

    const findings = await judgeChaos({
      store, workers: allWorkers, kills: killRecords, jobsEnqueued: enqueued.jobs,
      drained, badExits, leaked, reused: enqueued.reused, skipped: enqueued.skipped,
      jobsRequested: skusTotal * models.length, posterFailure,
    });
    return {
      ...findings,
      store: options.store,
      jobsRequested: skusTotal * models.length,
      kills: killRecords.length,
      apiRestarts,
      workerStarts,
      apiPolls,
      apiPollsMissed,
      elapsedMs: Date.now() - started,
      seed: options.seed,
      leaseMs: options.leaseMs,
    };
  } finally {
    await stopAll();
    await store?.close();
    await db.cleanup();
  }
}
