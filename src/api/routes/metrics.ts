import type { FastifyPluginAsync } from 'fastify';
import { jobStatuses } from '../../queue/job-state.js';
import { throughputWindowMs } from '../queue-progress.js';
import type { RouteOptions } from './route-plugin.js';
import { staleWorkerMs } from './health.js';

/** Worker counters always exported (0 until a worker reports them), whatever else workers count. */
const knownWorkerEvents = ['claimed', 'completed', 'failed', 'retried', 'fenced', 'rescued'];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function metricName(event: string): string {
  return event.replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();
}

/**
 * `GET /metrics`, Prometheus text format 0.0.4. Job counts come from the store's counters; worker
 * events are the sums of the counters each worker stores with its heartbeat.
 */
export const metricsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const [summary, throughput, workers] = await Promise.all([
      store.summary(),
      store.recentThroughput(throughputWindowMs),
      store.listWorkers(),
    ]);
    const lines: string[] = [];
    lines.push('# HELP skucast_jobs Jobs in the queue by status.', '# TYPE skucast_jobs gauge');
    for (const status of jobStatuses) lines.push(`skucast_jobs{status="${status}"} ${summary[status]}`);

    const windowSeconds = throughputWindowMs / 1000;
    const avgSeconds = throughput.avgDurationMs === null ? 0 : throughput.avgDurationMs / 1000;
    lines.push(
      `# HELP skucast_job_duration_seconds Duration of the jobs completed in the last ${windowSeconds} seconds (a sliding window, not a lifetime total).`,
      '# TYPE skucast_job_duration_seconds summary',
      `skucast_job_duration_seconds_sum ${avgSeconds * throughput.completed}`,
      `skucast_job_duration_seconds_count ${throughput.completed}`,
    );

    const byStatus = new Map<string, number>();
    const events = new Map<string, number>(knownWorkerEvents.map((e) => [e, 0]));
    const now = Date.now();
    for (const worker of workers) {
      // A worker that stopped beating without saying so (SIGKILL, a lost host) is stale, not running.
      const status = worker.status !== 'stopped' && now - worker.lastHeartbeatAt > staleWorkerMs ? 'stale' : worker.status;
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      for (const [event, count] of Object.entries(worker.counters ?? {})) {
        if (typeof count === 'number' && Number.isFinite(count)) events.set(metricName(event), (events.get(metricName(event)) ?? 0) + count);
      }
    }
    lines.push('# HELP skucast_workers Registered workers by status (stale: no heartbeat for a minute).', '# TYPE skucast_workers gauge');
    for (const status of ['running', 'stopping', 'stopped', 'stale']) lines.push(`skucast_workers{status="${status}"} ${byStatus.get(status) ?? 0}`);
    lines.push('# HELP skucast_worker_events_total Events counted by workers (claims, rescues, fenced writes, retries, completions, failures, ...), summed over workers.', '# TYPE skucast_worker_events_total counter');
    for (const [event, count] of [...events].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`skucast_worker_events_total{event="${escapeLabel(event)}"} ${count}`);
    }
    lines.push('# HELP skucast_queue_version Change counter of the job table.', '# TYPE skucast_queue_version counter', `skucast_queue_version ${summary.version}`);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
};
