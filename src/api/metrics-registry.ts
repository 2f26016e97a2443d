import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { jobStatuses } from '../queue/job-state.js';
import { heartbeatAge, type WorkerInfo } from '../queue/job.js';
import type { Store } from '../stores/store.js';
import { staleWorkerMs } from './routes/health.js';
import { histogramSamples, registerStoreMetric } from './store-metric.js';

/** Worker counters always exported (0 until a worker reports them), whatever else workers count. */
// `released`: the jobs a graceful stop handed back (those a PostgreSQL claim committed as the
// worker stopped, which the store released itself, included): a fleet restarted often shows here.
const knownWorkerEvents = ['claimed', 'completed', 'failed', 'retried', 'fenced', 'rescued', 'released'];
const workerStatuses = ['running', 'stopping', 'stopped', 'stale'] as const;

function metricName(event: string): string {
  return event.replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();
}

/**
 * One store read shared by the metrics of one scrape: the registry collects them all at once, so
 * the calls made while a read is in flight share it (the job gauges and the version then come from
 * the same read); the next scrape reads again.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    if (!inFlight) {
      inFlight = read();
      const clear = () => { inFlight = null; };
      inFlight.then(clear, clear);
    }
    return inFlight;
  };
}

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * What `GET /metrics` exports, one registry per app (tests build many apps in one process):
 * - prom-client's default process and Node metrics (CPU, memory, heap, event-loop lag, GC);
 * - skucast_http_request_duration_seconds: this process's requests, by method, route pattern and status;
 * - the queue as the store holds it, the same from every API instance, read at scrape time:
 *   skucast_jobs (gauge by status, from the store's counters), skucast_workers (gauge by status, a
 *   worker silent for over a minute counted as stale), skucast_job_duration_seconds (histogram by
 *   model and outcome, kept by the store: it only grows, whatever is pruned), and
 *   skucast_worker_events_total (the sums of the counters workers store with their heartbeat, and
 *   of those retired with workers no longer registered, so the sum never goes down).
 */
export function createApiMetrics(store: Store, logger?: FastifyBaseLogger): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const summary = sharedRead(() => store.summary());
  // Any read error makes skucast_worker_registry_readable 0, not only a missing grant (a statement
  // timeout, a pooler blip): said in the log, once when it starts failing and once when it is back,
  // not per scrape.
  let registryReadable = true;
  const workers = sharedRead(() => store.listWorkers().then(
    (rows) => {
      if (!registryReadable) logger?.info({ event: 'registry-read', readable: true }, 'metrics: the worker registry can be read again');
      registryReadable = true;
      return rows;
    },
    (error: unknown) => {
      if (registryReadable) {
        logger?.warn({ event: 'registry-read', readable: false, err: error instanceof Error ? error.message : String(error) },
          'metrics: the worker registry cannot be read (skucast_worker_registry_readable 0, skucast_workers without samples) until it can again');
      }
      registryReadable = false;
      throw error;
    },
  ));

  const httpDuration = new Histogram({
    name: 'skucast_http_request_duration_seconds',
    help: 'HTTP requests answered by this API process, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });

  new Gauge({
    name: 'skucast_jobs',
    help: 'Jobs in the queue by status (the store\'s counters).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await summary();
      for (const status of jobStatuses) this.set({ status }, counts[status]);
    },
  });

  new Gauge({
    name: 'skucast_workers',
    help: `Registered workers by status; a running or stopping worker without a heartbeat for ${staleWorkerMs / 1000} s counts as stale instead.`,
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const now = Date.now();
      const counts = Object.fromEntries(workerStatuses.map((s) => [s, 0])) as Record<(typeof workerStatuses)[number], number>;
      // An unreadable registry (a runtime role not granted a table a migration added) exports no
      // samples, rather than failing the scrape: skucast_jobs and the process metrics still answer,
      // and skucast_worker_registry_readable says why there are none.
      let registered: WorkerInfo[];
      try {
        registered = await workers();
      } catch {
        this.reset();
        return;
      }
      for (const worker of registered) {
        const stale = worker.status !== 'stopped' && heartbeatAge(worker, now) > staleWorkerMs;
        counts[stale ? 'stale' : worker.status]++;
      }
      for (const status of workerStatuses) this.set({ status }, counts[status]);
    },
  });

  new Gauge({
    name: 'skucast_worker_registry_readable',
    help: '1 when the API can read the worker registry, 0 when it cannot (skucast_workers then has no samples, /api/health says degraded).',
    registers: [registry],
    async collect() {
      this.set(await workers().then(() => 1, () => 0));
    },
  });

  registerStoreMetric(registry, {
    name: 'skucast_job_duration_seconds',
    help: 'How long job attempts were held, from the claim (a prefetched job\'s wait for a thread included) to completed, failed, cancelled, or retried (back to pending to run again), by model and outcome; kept by the store, never lowered by pruning.',
    type: 'histogram',
    async read() {
      const { boundsMs, series } = await store.jobDurations();
      const bounds = boundsMs.map((ms) => ms / 1000);
      return series.flatMap((s) => histogramSamples('skucast_job_duration_seconds', { model: s.modelId, outcome: s.outcome }, bounds, s.counts, s.sumMs / 1000));
    },
  });

  registerStoreMetric(registry, {
    name: 'skucast_worker_events_total',
    help: 'Events counted by workers (claims, rescues, fenced writes, retries, completions, failures, ...), summed over registered workers and those the registry has forgotten or that restarted under the same id.',
    type: 'counter',
    async read() {
      const events = new Map<string, number>(knownWorkerEvents.map((e) => [e, 0]));
      // One read of registered and retired counts together: two reads could count a worker
      // forgotten between them twice, and the next scrape would read lower (a reset).
      for (const [event, count] of Object.entries(await store.workerEventTotals())) {
        if (Number.isFinite(count)) events.set(metricName(event), (events.get(metricName(event)) ?? 0) + count);
      }
      return [...events].sort(([a], [b]) => a.localeCompare(b)).map(([event, value]) => ({ labels: { event }, value }));
    },
  });

  registerStoreMetric(registry, {
    name: 'skucast_queue_version',
    help: 'Change counter of the job table (moves on every visible job write).',
    type: 'counter',
    async read() {
      return [{ labels: {}, value: (await summary()).version }];
    },
  });

  return { registry, httpDuration };
}

/**
 * Times every answer of this app. The route label is the route's pattern (`/api/jobs/:id`), never
 * the raw URL, so ids and typos cannot grow the series without end; unmatched paths share one label.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? '(unmatched)';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
