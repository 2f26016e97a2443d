/**
 * Memo of deterministic fits within one runForecast call.
 *
 * Modes: inactive (the default, and whenever no runForecast is on the stack): memoFit just calls
 * the fit. Active (inside withFitMemo, which runForecast wraps its work in): a fit asked again for
 * the same kind, options and values returns the object the first call returned. The searches of
 * one runForecast fit the same prefixes of one series many times (the full history's grid origins
 * are the cross-validation's origins, an inner grid's windows are earlier origins, and where a
 * grid has no candidates AICc refits every form): on a 36-month SKU a third of the ETS fits were
 * repeats. The memo is dropped when the outermost withFitMemo returns, so nothing outlives a call.
 *
 * A fit is deterministic in its arguments, so a repeat's result is the one it would compute; the
 * values are compared element by element (Object.is), never by a hash. Callers must not mutate
 * what a memoised fit returns (none does: they read it and copy what they hand on).
 */

interface Entry { values: Float64Array; result: unknown }

let memo: Map<string, Entry[]> | null = null;
/** Other per-call stores (callScoped), dropped with the memo. */
let scoped: Map<string, unknown> | null = null;

/** Runs fn with the memo active; nested calls share the outermost memo. */
export function withFitMemo<T>(fn: () => T): T {
  if (memo) return fn();
  memo = new Map();
  scoped = new Map();
  try {
    return fn();
  } finally {
    memo = null;
    scoped = null;
  }
}

/**
 * The active call's store named `name` (made by make() on first use), or null when no withFitMemo
 * is on the stack: for caches that must not outlive one runForecast, as the memo does not.
 */
export function callScoped<T>(name: string, make: () => T): T | null {
  if (!scoped) return null;
  let store = scoped.get(name) as T | undefined;
  if (store === undefined) { store = make(); scoped.set(name, store); }
  return store;
}

function sameValues(a: Float64Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * fit(), or the result of an earlier call with the same key and values within the active memo.
 * `key` must name everything besides `values` that the fit depends on (the kind, period, form, options).
 */
export function memoFit<T>(key: string, values: ArrayLike<number>, fit: () => T): T {
  if (!memo) return fit();
  const n = values.length;
  const k = `${key}|${n}|${n > 0 ? values[n - 1] : ''}`;
  let list = memo.get(k);
  if (list) {
    for (const e of list) if (sameValues(e.values, values)) return e.result as T;
  } else {
    list = [];
    memo.set(k, list);
  }
  const result = fit();
  list.push({ values: Float64Array.from(values), result });
  return result;
}
