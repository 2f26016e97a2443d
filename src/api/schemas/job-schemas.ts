import { z } from 'zod';
import { jobReasons, jobStatuses } from '../../queue/job-state.js';
import { queryInteger } from './query-integer.js';

/** The job as the API shows it (docs/http-api.md "Jobs"). */
export const jobSchema = z.object({
  id: z.number().int(),
  batchId: z.string(),
  datasetId: z.string().nullable(),
  sku: z.string(),
  modelId: z.string(),
  method: z.string(),
  reason: z.string(),
  priority: z.number(),
  status: z.enum(jobStatuses),
  progress: z.number(),
  attempts: z.number(),
  maxAttempts: z.number(),
  error: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  runAt: z.number().optional(),
  workerId: z.string().nullable(),
});

export const jobWithResultSchema = jobSchema.extend({ result: z.unknown() });

export { errorSchema } from './error-schema.js';

export const jobIdParamsSchema = z.object({
  id: queryInteger({ min: 1, what: 'job id' }),
});

/** `status=pending,running` or repeated `status`; each must be a known status. */
function statusList(allowed: readonly string[]) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
    .superRefine((list, ctx) => {
      list.forEach((s, i) => {
        if (!allowed.includes(s)) {
          ctx.addIssue({ code: 'custom', path: [i], message: `unknown status '${s}' (one of ${allowed.join(', ')})` });
        }
      });
    })
    .transform((list) => [...new Set(list)] as Array<(typeof jobStatuses)[number]>);
}

export const jobStatusQuerySchema = z.object({
  // `?status=` (or `?status=,`) names no status: a 400, as every empty parameter is (it read as no filter).
  status: statusList(jobStatuses)
    .refine((list) => list.length > 0, { message: `an empty status list names no filter: give one or more of ${jobStatuses.join(', ')}, or leave status out` })
    .optional(),
  batchId: z.string().min(1).optional(),
  sku: z.string().min(1).optional(),
  datasetId: z.string().min(1).optional(),
  // 0: the summary alone, no job.
  limit: queryInteger({ min: 0, max: 1000 }).default(100),
  cursor: z.string().min(1).optional(),
});

export const jobSummarySchema = z.object({
  pending: z.number(),
  running: z.number(),
  completed: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  isOptimizing: z.boolean(),
  progress: z.number(),
  etaSeconds: z.number().nullable(),
  waitingForThread: z.number().nullable().describe(
    'Of running, the jobs a worker claimed that are not fitting yet (reading their input, or prefetched and waiting for a thread): '
    + 'the sum of the counts the live workers sent with their last heartbeat (a worker too old to send it: its running minus its '
    + 'threads); the rest are fitting on a thread. As old as those heartbeats: normally up to 5 s, up to a minute while a worker\'s '
    + 'heartbeats fail; meanwhile a fit started since may still be counted and a job claimed since shown as fitting. Never more than '
    + 'running. null for a view filtered by batchId, datasetId or sku, or when the worker registry could not be read.',
  ),
  liveWorkers: z.number().nullable().describe(
    'Workers taking jobs now: registered as running with a heartbeat in the last minute (a stopping, stopped or silent one '
    + 'does not count), over the whole queue whatever the filter. 0 while pending or running is above 0: no worker will move '
    + 'those jobs (running ones of a dead worker included, until a live worker rescues them when their lease expires) until one '
    + 'starts (`skucast worker`), and etaSeconds is null. null when the worker registry could not be read.',
  ),
  drainingWorkers: z.number().nullable().describe(
    'Workers stopping: registered as stopping with a heartbeat in the last minute. They claim nothing new but finish the jobs '
    + 'they run (up to their shutdown time, 30 to 60 s), so liveWorkers 0 with a draining worker is not "nothing moves". '
    + 'null when the worker registry could not be read.',
  ),
});

export const jobStatusResponseSchema = z.object({
  total: z.number(),
  summary: jobSummarySchema,
  jobs: z.array(jobSchema),
  nextCursor: z.string().nullable(),
});

// The bulk verbs' bodies are strict: a misspelt filter (`batchID`) dropped would act on more jobs than asked.
/** What a bulk cancel must name, said whatever it lacks (no body, `null`, `{}`, an array). */
const cancelFilterNeeded = 'give at least one of batchId, datasetId, sku or status, as a JSON object: {"batchId": "..."} cancels a batch, '
  + '{"status": ["pending", "running"]} every pending and running job';

export const cancelFilterSchema = z
  .object({
    batchId: z.string().min(1).optional(),
    datasetId: z.string().min(1).optional(),
    sku: z.string().min(1).optional(),
    status: statusList(['pending', 'running']).optional(),
  }, {
    // A bare POST (no body: Fastify hands it over as null) said "expected object, received null".
    error: (issue) => issue.code !== 'invalid_type' ? undefined
      : issue.input === null || issue.input === undefined ? `no filter: ${cancelFilterNeeded}` : `not an object: ${cancelFilterNeeded}`,
  })
  .strict()
  .superRefine((f, ctx) => {
    // `status: []` names no status: without this it passed as a filter and cancelled nothing, 200.
    if (f.status !== undefined && f.status.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'an empty status list names no filter: give pending and/or running, or leave status out' });
    } else if (f.batchId === undefined && f.datasetId === undefined && f.sku === undefined && f.status === undefined) {
      ctx.addIssue({ code: 'custom', message: `no filter: ${cancelFilterNeeded}` });
    }
  });

export const retryFilterSchema = z
  .object({
    batchId: z.string().min(1).optional(),
    datasetId: z.string().min(1).optional(),
    sku: z.string().min(1).optional(),
    status: statusList(['failed', 'cancelled']).optional(),
  })
  .strict()
  .nullish(); // a bare POST: Fastify hands no body as null

export const reasonSchema = z.string().refine((r) => (jobReasons as string[]).includes(r), {
  error: (issue) => `unknown reason '${String(issue.input)}' (one of ${jobReasons.join(', ')})`,
});
