import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a folder and its missing parents, one level at a time from the nearest one that
 * exists. Not `mkdirSync(dir, { recursive: true })`: on a parent it cannot create in (anything
 * under /proc) Node's recursive mkdir loops for ever, so `skucast worker --database-path
 * /proc/nope/x.db` spun a CPU and ignored SIGTERM. Throws one line naming the folder and the
 * reason (ENOENT, EACCES, ENOTDIR...) instead.
 */
export function makeFolder(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const kind = statKind(at);
    if (kind === 'folder') break;
    if (kind === 'other') throw new Error(`cannot create the folder ${target}: ${at} exists and is not a folder`);
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break; // the root itself is missing: mkdir below says why
    at = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statKind(folder) === 'folder') continue; // another process made it meanwhile
      throw new Error(`cannot create the folder ${target}: mkdir ${folder} failed (${code ?? (error as Error).message})`, { cause: error });
    }
  }
}

function statKind(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}
