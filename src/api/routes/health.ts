import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isStoreUnavailableError } from '../errors.js';
import type { RouteOptions } from './route-plugin.js';
import { heartbeatAge, staleWorkerMs } from '../../queue/job.js';

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
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['ok', 'unreachable']),
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
      const now = Date.now();
      // Workers that stopped long ago stay in the registry (their counters feed /metrics) but not here.
      const workers = (await store.listWorkers()).filter((w) => w.status !== 'stopped' || heartbeatAge(w, now) < forgetStoppedMs).map((w) => ({
        workerId: w.workerId, host: w.host, pid: w.pid, concurrency: w.concurrency, startedAt: w.startedAt,
        lastHeartbeatAt: w.lastHeartbeatAt, running: w.running, status: w.status,
        stale: w.status !== 'stopped' && heartbeatAge(w, now) > staleWorkerMs,
      }));
      return { status: 'ok' as const, database: 'ok' as const, store: store.kind, workers };
    } catch (error) {
      if (!isStoreUnavailableError(error)) request.log.warn({ err: error }, 'health check failed');
      const message = error instanceof Error ? error.message : String(error);
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable', store: store.kind, error: `database unavailable: ${message}`, workers: [] });
    }
  });
};
