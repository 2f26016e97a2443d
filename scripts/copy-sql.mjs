// tsc does not copy non-TS files: put every src/**/*.sql beside its compiled module in dist/src.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copySql(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copySql(path);
    else if (name.endsWith('.sql')) cpSync(path, join('dist', path));
  }
}
if (existsSync('src')) copySql('src');
