import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobFilter } from '../../queue/job.js';
import { badRequest, notFound } from '../errors.js';
import { countStatuses, drainingWorkers, liveWorkers, queueProgress, throughputWindowMs, waitingForThread } from '../queue-progress.js';
import { errorSchema, jobStatusQuerySchema, jobStatusResponseSchema } from '../schemas/job-schemas.js';
import { responseHeaderDocs, type HeaderDoc } from '../schemas/response-header-docs.js';
import type { RouteOptions } from './route-plugin.js';

/**
 * The ETag is a hash of what the body says (and of the query): the queue's version alone missed
 * `etaSeconds`, which moves with time, and can go backwards (a restore, a lost asynchronous commit
 * on PostgreSQL), answering 304 for a body that changed.
 */
function etagFor(url: string, body: unknown): string {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return `W/"${createHash('sha1').update(query).update('\n').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

const etagHeader: HeaderDoc = {
  type: 'string',
  description: 'A weak validator of this answer (its query and body): send it back as `If-None-Match` on the next poll to get a 304 while nothing changed',
};
const cacheControlHeader: HeaderDoc = { type: 'string', enum: ['no-cache'], description: 'Always `no-cache`: a cache asks again (with the ETag) before reusing an answer' };
const ifNoneMatchHeader = { type: 'string', description: 'Optional. The ETag of the last answer (or a comma-separated list, or `*`): a 304 with no body when it still holds' };

/** The If-None-Match request header, on the operation only (a `schema.headers` would filter request.headers). */
function withIfNoneMatch(document: Parameters<typeof jsonSchemaTransform>[0]) {
  const transformed = jsonSchemaTransform(document) as { schema: Record<string, unknown>; url: string };
  return { ...transformed, schema: { ...transformed.schema, headers: { type: 'object', properties: { 'If-None-Match': ifNoneMatchHeader } } } };
}

/**
 * `GET /api/jobs/status`: a page of jobs and the queue's summary, read in one snapshot. Polled every
 * second or two by every open web app, so the common case reads counters (no scan) and answers 304
 * when the body it would send is the one the client has; only a filtered view counts rows of its scope.
 */
export const jobsStatusRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/api/jobs/status', {
    // Polled every second or two by every open app and monitor: log only problems.
    logLevel: 'warn',
    schema: {
      summary: 'The queue: summary, and a keyset-paged list of jobs',
      tags: ['jobs'],
      querystring: jobStatusQuerySchema,
      response: {
        200: jobStatusResponseSchema,
        304: z.null().describe('Not Modified: the `If-None-Match` sent holds this answer\'s ETag, so the body the client has is the one it would get (no body)'),
        400: errorSchema, 404: errorSchema,
      },
    },
    config: {
      swaggerTransform: responseHeaderDocs({ 200: { ETag: etagHeader, 'Cache-Control': cacheControlHeader }, 304: { ETag: etagHeader, 'Cache-Control': cacheControlHeader } }, withIfNoneMatch),
    },
  }, async (request, reply) => {
    const query = request.query;
    const scope: JobFilter = {};
    if (query.batchId !== undefined) scope.batchId = query.batchId;
    if (query.datasetId !== undefined) scope.datasetId = query.datasetId;
    if (query.sku !== undefined) scope.sku = query.sku;
    // `status=` with no value lists every status, as `total` counts them.
    const status = query.status?.length ? query.status : undefined;
    // Prefetched jobs are `running` in the store; the workers' heartbeats tell how many wait for a
    // thread. Only for the whole queue: a filtered view's share of them is not known. Whether any
    // worker is alive is the whole queue's answer for every view: the registry is read for each.
    const scoped = Object.keys(scope).length > 0;
    // The page and its scope's counts from one snapshot: `total` never disagrees with `jobs`.
    const [throughput, workers, page] = await Promise.all([
      store.recentThroughput(throughputWindowMs),
      // A failing registry read costs the split and the live count, not the status: null reads as "not known".
      store.listWorkers().catch((error: unknown) => {
        request.log.warn({ err: error }, 'worker registry unreadable: waitingForThread, liveWorkers and drainingWorkers are null');
        return null;
      }),
      // limit=0: a monitor that wants the summary alone reads no job (the cursor has nothing to page).
      query.limit === 0 ? store.summary(scope).then((summary) => ({ jobs: [], nextCursor: null, summary })) : store
        .listJobs({ ...scope, status, limit: query.limit, cursor: query.cursor ?? null, withSummary: true })
        .catch((error: unknown) => {
          if (query.cursor !== undefined && error instanceof Error && (error instanceof RangeError || /cursor/i.test(error.message))) {
            throw badRequest('invalid cursor', [{ path: 'cursor', message: error.message }]);
          }
          throw error;
        }),
    ]);
    const counts = page.summary!;
    // A misspelt dataset would list nothing, 200, which reads as "no jobs": 404 as the dataset routes answer.
    // Asked only when the scope holds no job of any status, so a normal poll pays no dataset read and a
    // deleted dataset's jobs (cancelled by the delete) stay listable by its id.
    if (query.datasetId !== undefined && counts.total === 0 && !(await store.getDataset(query.datasetId))) {
      throw notFound(`no dataset '${query.datasetId}'`, 'datasetId');
    }
    const now = Date.now();
    const waiting = workers && !scoped ? waitingForThread(workers, now) : null;
    const body = {
      total: countStatuses(counts, status),
      summary: queueProgress(counts, throughput, throughputWindowMs, waiting, workers && liveWorkers(workers, now), workers && drainingWorkers(workers, now)),
      jobs: page.jobs,
      nextCursor: page.nextCursor,
    };
    const etag = etagFor(request.url, body);
    reply.header('ETag', etag).header('Cache-Control', 'no-cache');
    if (etagMatches(request.headers['if-none-match'], etag)) return (reply as unknown as FastifyReply).code(304).send();
    return body;
  });
};
