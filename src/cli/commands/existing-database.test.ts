import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';

/**
 * Commands that work on an existing database (read it, copy it, or add actuals to it) never create one: a mistyped --database-path used to
 * get a fresh, empty SQLite file (and its folder), so `skucast backup` wrote an empty backup and
 * said it was done, and `skucast doctor` found "counters: exact".
 */
let dir: string;
beforeEach(() => {
  vi.stubEnv('DATABASE_URL', '');
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-existing-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('commands that need an existing database', () => {
  const missing = () => path.join(dir, 'typo', 'forcast-jobs.db');
  const cases: Array<[string, (db: string) => string[]]> = [
    ['backup', () => ['backup', path.join(dir, 'backup.db')]],
    ['doctor', () => ['doctor']],
    ['export', () => ['export', 'latest', '--out', path.join(dir, 'out.csv')]],
    ['accuracy', () => ['accuracy', 'latest']],
    ['prune', () => ['prune', '--dry-run']],
    ['actuals', () => {
      const file = path.join(dir, 'actuals.csv');
      writeFileSync(file, 'sku,date,sales\nA,2025-01-01,3\n');
      return ['actuals', 'latest', file];
    }],
  ];
  for (const [name, argv] of cases) {
    it(`${name} refuses a SQLite file that is not there, and creates nothing`, async () => {
      const db = missing();
      await expect(buildProgram().parseAsync([...argv(db), '--database-path', db], { from: 'user' }))
        .rejects.toThrow(/no SQLite database at .*forcast-jobs\.db \(DATABASE_PATH \/ --database-path; or set DATABASE_URL \/ --database-url for PostgreSQL\): this command needs an existing database and creates none$/);
      expect(existsSync(path.dirname(db))).toBe(false);
      expect(existsSync(path.join(dir, 'backup.db'))).toBe(false);
    });
  }
});
