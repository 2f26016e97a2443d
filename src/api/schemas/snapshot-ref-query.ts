import { z } from 'zod';
import { readSnapshotRef } from '../../datasets/snapshot-ref.js';

/**
 * `?snapshot=`: a snapshot's id, or its name (readSnapshotRef: digits are an id, always; anything
 * else, trimmed, a name, compared as snapshotNameKey compares: case and runs of spaces aside). The
 * handler gets a number for an id, a string for a name. A refusal quotes what came, as
 * queryInteger's do; a repeated parameter says it was given more than once.
 */
export function snapshotRefQuery() {
  return z.preprocess(
    (value, ctx) => {
      if (typeof value === 'number') return value;
      const read = Array.isArray(value) ? { refusal: 'given more than once: give it once' } : readSnapshotRef(String(value));
      if ('ref' in read) return read.ref;
      ctx.addIssue({ code: 'custom', message: read.refusal, input: value });
      return z.NEVER;
    },
    z.union([z.number().int().min(1), z.string().min(1)]),
  ).describe('A snapshot: its id (digits), or its name ("S&OP Dec": letter case and runs of spaces aside); 404 when the dataset has none so named, 409 when two of its snapshots share the name (named before names were unique: give the id)');
}
