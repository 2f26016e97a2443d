import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFolder } from './make-folder.js';
import { openStore } from './open-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skucast-make-folder-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('makeFolder', () => {
  it('creates missing levels and leaves an existing folder alone', () => {
    makeFolder(join(dir, 'a', 'b', 'c'));
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    makeFolder(join(dir, 'a', 'b', 'c'));
    makeFolder(dir);
  });

  it('refuses a path through a file, naming it', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeFolder(join(dir, 'file', 'sub'))).toThrow(`${join(dir, 'file')} exists and is not a folder`);
  });

  // Node's recursive mkdir loops for ever here: the test would time out, not fail.
  it.runIf(process.platform === 'linux')('fails at once, with the reason, where a folder cannot be made (/proc), as opening a SQLite store there does', async () => {
    expect(() => makeFolder('/proc/nope/deeper')).toThrow(/cannot create the folder \/proc\/nope\/deeper: mkdir \/proc\/nope failed \(ENOENT\)/);
    await expect(openStore({ databasePath: '/proc/nope/x.db' })).rejects.toThrow(/cannot create the folder \/proc\/nope/);
  });
});
