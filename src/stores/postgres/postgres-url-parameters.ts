/**
 * Which query parameters a PostgreSQL URL may carry. pg hands every parameter it does not know to
 * nobody: `?shema=staging` (a typo of `schema`) used to connect to `public`, so a staging install
 * wrote into production's tables without a word. Every other parameter is now refused, naming it.
 *
 * Accepted: Skucast's own (read in postgres-connection.ts and removed before pg sees the URL), and
 * those pg 8 / pg-connection-string 2 act on when they come in the URL (connection-parameters.js,
 * client.js). libpq parameters that pg ignores in a URL (`target_session_attrs`, `channel_binding`,
 * `keepalives`, ...) are refused too, with their own message: accepting them would promise a
 * behaviour (a read-write primary, channel binding) that this process does not give.
 */
export const skucastParameters = ['schema', 'connection_limit', 'connect_timeout', 'options'] as const;

export const driverParameters = [
  'host', 'port', 'user', 'password',
  'ssl', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation', 'uselibpqcompat',
  'application_name', 'fallback_application_name', 'client_encoding', 'replication',
  'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'query_timeout',
] as const;

// libpq's connection keywords (PostgreSQL 17) that pg does not read from a URL. `dbname`: pg takes
// the database from the URL's path only.
const libpqOnly = new Set([
  'hostaddr', 'dbname', 'passfile', 'require_auth', 'channel_binding', 'keepalives', 'keepalives_idle',
  'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'gssencmode', 'requiressl', 'sslcompression',
  'sslpassword', 'sslcertmode', 'sslcrl', 'sslcrldir', 'sslsni', 'requirepeer', 'ssl_min_protocol_version',
  'ssl_max_protocol_version', 'krbsrvname', 'gsslib', 'gssdelegation', 'service', 'target_session_attrs',
  'load_balance_hosts',
]);

const accepted: readonly string[] = [...skucastParameters, ...driverParameters];

/** Throws on the first parameter of `params` that neither Skucast nor pg reads; `where` names the URL. */
export function refuseUnknownParameters(params: URLSearchParams, where: string): void {
  for (const name of new Set(params.keys())) {
    if (accepted.includes(name)) continue;
    if (libpqOnly.has(name)) {
      throw new Error(`${where}: '${name}' is a libpq parameter that node-postgres does not read from a URL; remove it (Skucast reads ${accepted.join(', ')})`);
    }
    const near = closest(name);
    throw new Error(`${where}: unknown parameter '${name}'${near ? ` (did you mean ${near}?)` : ''}; Skucast reads ${accepted.join(', ')}`);
  }
}

/** The accepted name a typo most likely meant: at most 2 edits away, and fewer than half its letters. */
function closest(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of accepted) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= 2 && bestDistance < name.length / 2 ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}
