import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, sqliteSynchronous } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  delete process.env.SQLITE_SYNCHRONOUS;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function synchronousOfNewFile(): number {
  const dir = mkdtempSync(join(tmpdir(), 'skucast-sync-'));
  dirs.push(dir);
  const db = openSqliteDatabase(join(dir, 'q.db'));
  try {
    return db.pragma('synchronous', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('SQLITE_SYNCHRONOUS', () => {
  it('is NORMAL (1) by default and FULL (2) when asked, in any case', () => {
    expect(synchronousOfNewFile()).toBe(1);
    process.env.SQLITE_SYNCHRONOUS = 'full';
    expect(synchronousOfNewFile()).toBe(2);
    process.env.SQLITE_SYNCHRONOUS = 'NORMAL';
    expect(synchronousOfNewFile()).toBe(1);
  });

  it('refuses anything else instead of guessing', () => {
    expect(() => sqliteSynchronous({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS must be one of normal, full \(got 'OFF'\)/);
    expect(sqliteSynchronous({})).toBe('NORMAL');
  });
});
