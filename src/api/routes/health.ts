import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isStoreUnavailableError } from '../errors.js';
import type { RouteOptions } from './route-plugin.js';
import { heartbeatAge, staleWorkerMs, type WorkerInfo } from '../../queue/job.js';

export { staleWorkerMs };
/** Stopped workers are listed for an hour, then left out. */
export const forgetStoppedMs = 60 * 60_000;

const workerSchema = z.object({
  workerId: z.string(),
  host: z.string(),
  pid: z.number(),
  concurrency: z.number(),
  startedAt: z.number(),
  lastHeartbeatAt: z.number(),
  running: z.number(),
  status: z.string(),
  stale: z.boolean(),
});

const healthSchema = z.object({
  /** 'degraded': the API serves (200) but the worker registry is unreadable: no worker can be seen, nor beat. */
  status: z.enum(['ok', 'degraded', 'unavailable']),
  database: z.enum(['ok', 'unreachable']),
  /** 'unreadable': the database answers but the worker registry could not be read (workers: []). */
  registry: z.enum(['ok', 'unreadable']),
  store: z.string(),
  error: z.string().optional(),
  workers: z.array(workerSchema),
});

/** `GET /api/health`: open without a token so monitors and load balancers can ask. */
export const healthRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/api/health', {
    // Polled every second or two by every open app and monitor: log only problems.
    logLevel: 'warn',
    schema: { summary: 'Is the database reachable, and which workers are alive', tags: ['operations'], response: { 200: healthSchema, 503: healthSchema } },
  }, async (request, reply) => {
    try {
      await store.ping();
      // The database answers, so a failing registry read is the registry's, not the database's: a
      // runtime role not granted a table a migration added (docs/deploy.md, 041) must not fail
      // readiness. Said as jobs-status says it, not as "database unavailable".
      let registry: WorkerInfo[];
      try {
        registry = await store.listWorkers();
      } catch (error) {
        if (isStoreUnavailableError(error)) throw error;
        request.log.warn({ err: error }, 'worker registry unreadable: /api/health lists no workers');
        const message = error instanceof Error ? error.message : String(error);
        return { status: 'degraded' as const, database: 'ok' as const, registry: 'unreadable' as const, store: store.kind, error: `worker registry unreadable: ${message}`, workers: [] };
      }
      const now = Date.now();
      // Workers that stopped long ago stay in the registry (their counters feed /metrics) but not here.
      const workers = registry.filter((w) => w.status !== 'stopped' || heartbeatAge(w, now) < forgetStoppedMs).map((w) => ({
        workerId: w.workerId, host: w.host, pid: w.pid, concurrency: w.concurrency, startedAt: w.startedAt,
        lastHeartbeatAt: w.lastHeartbeatAt, running: w.running, status: w.status,
        stale: w.status !== 'stopped' && heartbeatAge(w, now) > staleWorkerMs,
      }));
      return { status: 'ok' as const, database: 'ok' as const, registry: 'ok' as const, store: store.kind, workers };
    } catch (error) {
      if (!isStoreUnavailableError(error)) request.log.warn({ err: error }, 'health check failed');
      const message = error instanceof Error ? error.message : String(error);
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable', registry: 'unreadable', store: store.kind, error: `database unavailable: ${message}`, workers: [] });
    }
  });
};
