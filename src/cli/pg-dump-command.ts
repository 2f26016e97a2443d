/**
 * The pg_dump and pg_restore commands for a Skucast PostgreSQL URL, as `skucast backup` prints
 * them. Not `pg_dump "$DATABASE_URL"`: libpq refuses Skucast's own URL parameters (`?schema=`,
 * `?connection_limit=`, `?options=`: "invalid URI query parameter"), so they are taken off and the
 * schema is passed as `--schema`. The password is left out (printed on a terminal, kept in shell
 * history): pg_dump asks for it, or reads PGPASSWORD or ~/.pgpass.
 */
export function pgDumpCommands(databaseUrl: string, file = 'skucast.dump'): { dump: string; restore: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { dump: `pg_dump --format=custom --file=${file} <your database URL without ?schema= and ?connection_limit=>`, restore: `pg_restore --clean --if-exists --dbname=<that URL> ${file}` };
  }
  const schema = url.searchParams.get('schema');
  for (const name of ['schema', 'connection_limit', 'options']) url.searchParams.delete(name);
  url.password = '';
  const target = `"${url.href}"`;
  const only = schema ? ` --schema=${schema}` : '';
  return {
    dump: `pg_dump --format=custom${only} --file=${file} ${target}`,
    restore: `pg_restore --clean --if-exists --dbname=${target} ${file}`,
  };
}
