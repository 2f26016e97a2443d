/**
 * Refuses a database whose schema a newer Skucast has migrated past this build: a version in
 * schema_migrations above the newest migration this build ships. Such a process would run this
 * build's SQL against tables it does not know (some migrations are not rolling: docs/deploy.md),
 * and `skucast migrate` used to say "schema up to date" over it. Checked by both stores' migrate,
 * so `migrate`, `api`, `worker` and every other command refuse it the same way, before anything
 * is written.
 */
export class NewerSchemaError extends Error {
  constructor(readonly newest: { version: number; name: string }, readonly known: number) {
    super(`the database's schema is newer than this Skucast knows: it has migration ${newest.version} (${newest.name}), `
      + `this build's newest is ${known}; run the newer release that migrated it (or restore a backup taken before that upgrade)`);
    this.name = 'NewerSchemaError';
  }
}

/** Throws NewerSchemaError when `seen` (the database's applied migrations) holds a version past every one of `known`. */
export function refuseNewerSchema(seen: Array<{ version: number; name: string }>, known: Array<{ version: number }>): void {
  const newestKnown = Math.max(0, ...known.map((m) => m.version));
  const newer = seen.filter((m) => m.version > newestKnown).sort((a, b) => b.version - a.version);
  if (newer.length > 0) throw new NewerSchemaError(newer[0], newestKnown);
}
