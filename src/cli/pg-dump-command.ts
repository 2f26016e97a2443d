/**
 * The pg_dump and pg_restore commands for a Skucast PostgreSQL URL, as `skucast backup` prints
 * them. Not `pg_dump "$DATABASE_URL"`: libpq refuses a URI parameter it does not know ("invalid
 * URI query parameter"), and a Skucast URL may carry Skucast's own (`?schema=`,
 * `?connection_limit=`, `?options=`) and node-postgres's (`?query_timeout=`, `?statement_timeout=`,
 * ...). Only libpq's keywords are kept, `?ssl=` becomes libpq's `sslmode` (verify-full: libpq then
 * wants the server's CA in ~/.postgresql/root.crt or `sslrootcert=`), and the schema is passed
 * as `--schema`. The password is left out (printed on a terminal, kept in shell history): pg_dump
 * asks for it, or reads PGPASSWORD or ~/.pgpass.
 */

// The accepted URL parameters (postgres-url-parameters.ts) that are also libpq connection keywords.
// Not `options` (Skucast's schema travels in it as a search_path; --schema says it to pg_dump), nor
// the pg-only timeouts: a statement_timeout would cut a long dump short.
const libpqKeywords = new Set([
  'host', 'port', 'user', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation',
  'application_name', 'fallback_application_name', 'client_encoding', 'replication', 'connect_timeout',
]);

export function pgDumpCommands(databaseUrl: string, file = 'skucast.dump'): { dump: string; restore: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { dump: `pg_dump --format=custom --file=${file} <your database URL without ?schema= and ?connection_limit=>`, restore: `pg_restore --clean --if-exists --dbname=<that URL> ${file}` };
  }
  const schema = url.searchParams.get('schema');
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) if (libpqKeywords.has(name)) kept.append(name, value);
  // node-postgres reads ?ssl=true (or 1) as TLS with the certificate and host checked (Node's
  // CAs): libpq's verify-full, not require, which checks nothing. Its own sslmode=no-verify
  // (TLS, no check) is libpq's require; libpq refuses the word itself.
  const ssl = url.searchParams.get('ssl');
  if (ssl !== null && !kept.has('sslmode') && !['0', 'false', ''].includes(ssl.toLowerCase())) kept.set('sslmode', 'verify-full');
  if (kept.get('sslmode') === 'no-verify') kept.set('sslmode', 'require');
  url.search = kept.toString();
  url.password = '';
  const target = `"${url.href}"`;
  const only = schema ? ` --schema=${schema}` : '';
  return {
    dump: `pg_dump --format=custom${only} --file=${file} ${target}`,
    restore: `pg_restore --clean --if-exists --dbname=${target} ${file}`,
  };
}
