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
