import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Finds a folder of .sql files beside this module. Under vitest this module runs from src/, where
 * the files are; compiled to dist/src/ the build copies them (scripts/copy-sql.mjs), and if it did
 * not we fall back to the source tree, so a plain `tsc` build still works from a checkout.
 */
export function sqlDir(name: 'migrations' | 'queries'): string {
  const candidates = [
    new URL(`./${name}/`, import.meta.url),
    new URL(`../../../../src/stores/sqlite/${name}/`, import.meta.url),
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
