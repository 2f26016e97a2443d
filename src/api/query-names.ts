import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/** The known name a misspelt one most likely meant (`snapshotId` -> `snapshot`, `dataset_id` -> `datasetId`). */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const given = plain(name);
  if (given === '') return undefined;
  let best: { key: string; score: number } | undefined;
  for (const key of known) {
    const k = plain(key);
    let score: number;
    if (k === given) score = 0;
    else if (Math.min(k.length, given.length) >= 3 && (given.startsWith(k) || k.startsWith(given))) score = 1;
    else {
      const d = editDistance(given, k);
      score = d <= Math.max(1, Math.floor(k.length / 4)) ? 1 + d : Infinity;
    }
    if (score < (best?.score ?? Infinity)) best = { key, score };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The query parameters a route takes (its strict query schema's keys). */
export function knownQueryParameters(request: FastifyRequest): string[] {
  const query = (request.routeOptions.schema as { querystring?: unknown } | undefined)?.querystring;
  return query instanceof z.ZodObject ? Object.keys(query.shape) : [];
}
