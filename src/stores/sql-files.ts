import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type SqlAdapter = 'sqlite' | 'postgres';
export type SqlFolder = 'migrations' | 'queries';

/**
 * Finds an adapter's folder of .sql files (src/stores/<adapter>/<folder>/). Under vitest this
 * module runs from src/, where the files are. Compiled to dist/src/ it reads them from the
 * checkout's src/ when there is one, so a build that stopped before its copy step can never run
 * stale SQL; else from the copies the build puts beside the compiled files (scripts/copy-sql.mjs).
 */
export function sqlDir(adapter: SqlAdapter, folder: SqlFolder): string {
  const candidates = [
    new URL(`../../../src/stores/${adapter}/${folder}/`, import.meta.url),
    new URL(`./${adapter}/${folder}/`, import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  const label = adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  throw new Error(`${label} ${folder} folder not found (looked in ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

/** Every .sql file of the folder, by file name without extension, read once. */
export function loadSqlFiles(adapter: SqlAdapter, folder: SqlFolder): Map<string, string> {
  const dir = sqlDir(adapter, folder);
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return new Map(files.map((f) => [f.slice(0, -4), readFileSync(dir + f, 'utf8')]));
}
