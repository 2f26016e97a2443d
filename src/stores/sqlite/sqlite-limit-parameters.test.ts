import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// SQLite 3.46+ reads a bare bound parameter in LIMIT or OFFSET while it plans (to plan with the
// value), and marks the statement to be planned again whenever the parameter is bound anew: every
// call. For the claim, whose UPDATE compiles four triggers, that was 245 us a one-job claim instead
// of 66 (docs/deploy.md). `+:limit` is an expression, not a parameter, to the planner. The cost is
// a timing, which tests do not assert; this guard keeps the bare form from coming back.
const here = import.meta.dirname;
const sources = [
  ...readdirSync(join(here, 'queries')).filter((f) => f.endsWith('.sql')).map((f) => join('queries', f)),
  ...readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
];

describe('SQLite statements', () => {
  it('never put a bare parameter in LIMIT or OFFSET', () => {
    const bare = /\b(LIMIT|OFFSET)\s+[:@$?]/i;
    const offenders = sources.flatMap((file) =>
      readFileSync(join(here, file), 'utf8').split('\n').flatMap((line, i) => (bare.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(offenders).toEqual([]);
    expect(sources).toContain(join('queries', 'job-claim.sql'));
  });
});
