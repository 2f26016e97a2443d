import { describe, expect, it } from 'vitest';
import { progressLog } from './progress-log.js';

describe('progressLog', () => {
  it('logs each table when the copy reaches it, then every few seconds within it, and its final count when it moves on', () => {
    let t = 0;
    const lines: unknown[] = [];
    const progress = progressLog((fields) => lines.push(fields), 5000, () => t);
    progress('datasets', 1);
    progress('datasets', 2);
    progress('jobs', 1000);
    t = 4999;
    progress('jobs', 2000);
    t = 5000;
    progress('jobs', 3000);
    progress('snapshots', 4);
    expect(lines).toEqual([
      { table: 'datasets', rows: 1 }, { table: 'datasets', rows: 2 }, { table: 'jobs', rows: 1000 }, { table: 'jobs', rows: 3000 }, { table: 'snapshots', rows: 4 },
    ]);
  });
});
