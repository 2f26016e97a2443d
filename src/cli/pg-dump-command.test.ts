import { describe, expect, it } from 'vitest';
import { pgDumpCommands } from './pg-dump-command.js';

/** libpq refuses an unknown URI parameter, so `pg_dump "$DATABASE_URL"` failed on any Skucast URL with ?schema= or ?connection_limit=. */
describe('pgDumpCommands', () => {
  it('takes off Skucast\'s parameters and the password, and passes the schema as --schema', () => {
    expect(pgDumpCommands('postgres://skucast:secret@db.example:5432/prod?schema=planning&connection_limit=4&sslmode=require')).toEqual({
      dump: 'pg_dump --format=custom --schema=planning --file=skucast.dump "postgres://skucast@db.example:5432/prod?sslmode=require"',
      restore: 'pg_restore --clean --if-exists --dbname="postgres://skucast@db.example:5432/prod?sslmode=require" skucast.dump',
    });
  });

  it('leaves a plain URL as it is, with no --schema', () => {
    expect(pgDumpCommands('postgres://u@h/db').dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h/db"');
  });
});

/** libpq refuses node-postgres's own parameters as well, which a Skucast URL may carry (postgres-url-parameters.ts). */
describe('pgDumpCommands with node-postgres parameters', () => {
  it('keeps libpq keywords and drops the ones only node-postgres reads', () => {
    const { dump } = pgDumpCommands('postgres://u@h:5432/db?query_timeout=5000&statement_timeout=100&lock_timeout=9&idle_in_transaction_session_timeout=9&uselibpqcompat=true&application_name=nightly&connect_timeout=10&sslmode=verify-full&sslrootcert=/ca.pem');
    expect(dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h:5432/db?application_name=nightly&connect_timeout=10&sslmode=verify-full&sslrootcert=%2Fca.pem"');
  });

  it('turns ?ssl=true into sslmode=verify-full (node-postgres checks the certificate: require would not), no-verify into require, and drops ?ssl=false', () => {
    expect(pgDumpCommands('postgres://u@h/db?ssl=true').dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h/db?sslmode=verify-full"');
    expect(pgDumpCommands('postgres://u@h/db?sslmode=no-verify').dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h/db?sslmode=require"');
    expect(pgDumpCommands('postgres://u@h/db?ssl=1&sslmode=verify-ca').dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h/db?sslmode=verify-ca"');
    expect(pgDumpCommands('postgres://u@h/db?ssl=false').dump).toBe('pg_dump --format=custom --file=skucast.dump "postgres://u@h/db"');
  });
});
