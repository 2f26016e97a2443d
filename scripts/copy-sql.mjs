// tsc does not copy non-TS files: put every src/**/*.sql beside its compiled module in dist/src,
// and delete the .sql files in dist/src that src no longer has (a renamed or removed migration
// left behind would otherwise be applied by the built code).
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copySql(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copySql(path);
    else if (name.endsWith('.sql')) cpSync(path, join('dist', path));
  }
}

function pruneSql(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pruneSql(path);
    else if (name.endsWith('.sql') && !existsSync(path.slice('dist/'.length))) rmSync(path);
  }
}

if (existsSync('src')) copySql('src');
if (existsSync(join('dist', 'src'))) pruneSql(join('dist', 'src'));
