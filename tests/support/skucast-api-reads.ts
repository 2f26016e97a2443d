import { pollUntil } from './skucast-process.js';

/** Reads of a running `node server.js api` at `baseUrl`, for the e2e suites that start one. */

export interface JobsStatus {
  total: number;
  summary: { pending: number; running: number; completed: number; failed: number; cancelled: number };
  jobs: Array<{ id: number; sku: string; status: string; priority: number; reason: string; datasetId: string }>;
}

/** pollUntil, where a check that throws (the API not up yet) counts as "not yet". */
export function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  return pollUntil(what, () => check().catch(() => undefined), timeoutMs, 200);
}

/** GET /api/jobs/status; `query` is '' or starts with '?'. */
export async function jobsStatus(baseUrl: string, query = ''): Promise<JobsStatus> {
  const response = await fetch(`${baseUrl}/api/jobs/status${query}`);
  return (await response.json()) as JobsStatus;
}

/** The id of the dataset whose name includes `part`; throws, naming the datasets there are, if none does. */
export async function datasetIdNamed(baseUrl: string, part: string): Promise<string> {
  const body = (await (await fetch(`${baseUrl}/api/datasets`)).json()) as { datasets: Array<{ id: string; name: string }> };
  const dataset = body.datasets.find((d) => d.name.includes(part));
  if (!dataset) throw new Error(`no ${part} dataset in ${JSON.stringify(body.datasets.map((d) => d.name))}`);
  return dataset.id;
}
