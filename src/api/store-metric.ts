import type { Metric, Registry } from 'prom-client';

/** One sample: `metricName` is the full name (`x_bucket`, `x_sum`), the metric's own name when absent. */
export interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A metric whose every value is read from the store at scrape time (a counter or a histogram the
 * database keeps), for what prom-client's own classes cannot hold: they count in this process's
 * memory, so each API instance would report its own numbers and a restart would lose them. The
 * registry formats it like any of its metrics (it only calls get()).
 */
export function registerStoreMetric(
  registry: Registry,
  options: { name: string; help: string; type: 'counter' | 'histogram'; read: () => Promise<Sample[]> },
): void {
  const metric = {
    name: options.name,
    help: options.help,
    type: options.type,
    aggregator: 'sum' as const,
    collect: () => undefined,
    async get() {
      return { name: options.name, help: options.help, type: options.type, aggregator: 'sum' as const, values: await options.read() };
    },
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** Prometheus histogram samples (`_bucket` cumulative with `le`, `_sum`, `_count`) from per-bucket counts. */
export function histogramSamples(name: string, labels: Record<string, string>, bounds: number[], counts: number[], sum: number): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0;
  bounds.forEach((bound, i) => {
    cumulative += counts[i] ?? 0;
    samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
  });
  cumulative += counts[bounds.length] ?? 0;
  samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cumulative });
  samples.push({ metricName: `${name}_sum`, labels, value: sum });
  samples.push({ metricName: `${name}_count`, labels, value: cumulative });
  return samples;
}
