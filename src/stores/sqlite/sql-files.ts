import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Finds a folder of .sql files for this module. Under vitest this module runs from src/, where the
 * files are; compiled to dist/src/ it reads them from the checkout's src/ when there is one, else
 * from the copies the build puts beside the compiled files (scripts/copy-sql.mjs).
 */
export function sqlDir(name: 'migrations' | 'queries'): string {
  // From dist/src/stores/sqlite/ the checkout's source folder wins over the copies, so a build
  // that stopped before its copy step can never run stale SQL.
  const candidates = [
    new URL(`../../../../src/stores/sqlite/${name}/`, import.meta.url),
    new URL(`./${name}/`, import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`SQLite ${name} folder not found (looked in ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

/** Every .sql file of the folder, by file name without extension, read once. */
export function loadSqlFiles(name: 'migrations' | 'queries'): Map<string, string> {
  const dir = sqlDir(name);
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return new Map(files.map((f) => [f.slice(0, -4), readFileSync(dir + f, 'utf8')]));
}
