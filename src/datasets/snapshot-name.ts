import { snapshotNameMax } from './planning-cycle-store.js';

/**
 * A snapshot's name as every door takes it (PATCH, `skucast snapshots name`): trimmed, 1 to
 * snapshotNameMax characters counted as the databases count them (code points: an emoji is one,
 * not the two UTF-16 units JavaScript's length says), and no control character: a name is printed
 * in an operator's terminal by `snapshots list`, where an escape sequence or a line break would
 * act rather than show. Nor digits alone: `?snapshot=12` and `--snapshot 12` read digits as a
 * snapshot id (snapshotRef), so a name "2024" could never be looked up by. Returns why it is
 * refused, or null.
 */
export function snapshotNameProblem(trimmed: string): string | null {
  if (trimmed.length === 0) return `a snapshot name is 1 to ${snapshotNameMax} characters after trimming`;
  const length = [...trimmed].length;
  if (length > snapshotNameMax) return `a snapshot name is at most ${snapshotNameMax} characters (this one has ${length})`;
  const control = /\p{Cc}/u.exec(trimmed);
  if (control) return `a snapshot name holds no control character (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): letters, digits, spaces and punctuation`;
  if (/^[0-9]+$/.test(trimmed)) return `a snapshot name is not digits alone ('${trimmed}'): digits are read as a snapshot id where a snapshot is looked up (?snapshot=, --snapshot); add a word ("FY${trimmed}", "#${trimmed}")`;
  return null;
}

/**
 * What two snapshot names are compared by, for uniqueness within a dataset (nameSnapshot) and for
 * a lookup by name (snapshotRef): the name as a planner sees it in the web app and the CLI and
 * types it back. Letter case does not count ("S&OP Dec", "s&op dec" and "S&OP DEC" are one name),
 * nor how a character is composed (NFC: "é" typed as one code point or as "e" and an accent), nor
 * the length of a run of spaces (a browser shows "S&OP  Dec" as "S&OP Dec"), nor surrounding
 * spaces. The name is stored as given (trimmed); only comparisons use this key. Computed here, not
 * by SQL, so both stores compare alike (SQLite's lower() knows ASCII only).
 */
export function snapshotNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase().normalize('NFC');
}

/**
 * Of a dataset's named snapshots (`named`: its snapshot_names rows with their ids), those that hold
 * `name` by snapshotNameKey's comparison, but snapshot `except`, newest first: nameSnapshot's
 * check on both stores, and a lookup by name.
 */
export function snapshotsNamed(named: ReadonlyArray<{ id: number | string; name: string }>, name: string, except?: number): Array<{ id: number; name: string }> {
  const wanted = snapshotNameKey(name);
  return named.map((r) => ({ id: Number(r.id), name: r.name }))
    .filter((r) => r.id !== except && snapshotNameKey(r.name) === wanted)
    .sort((a, b) => b.id - a.id);
}

/**
 * Whether a snapshot whose name is now `current` (undefined: none) still answers to `expectName`
 * (undefined: no name expected, always true), by snapshotNameKey's comparison: deleteSnapshot's
 * and nameSnapshot's check, in their transaction, for a snapshot the caller found by that name.
 */
export function stillNamed(current: string | undefined, expectName: string | undefined): boolean {
  return expectName === undefined || (current !== undefined && snapshotNameKey(current) === snapshotNameKey(expectName));
}

/** Why nameSnapshot refused a name (its `taken`): which snapshot of the dataset holds it, as PATCH's 409 and `skucast snapshots name` say it. */
export function snapshotNameTakenRefusal(datasetId: string, taken: ReadonlyArray<{ id: number; name: string }>): string {
  const which = taken.length === 1 ? `snapshot ${taken[0].id}` : `snapshots ${taken.map((s) => s.id).join(', ')}`;
  return `${which} of dataset '${datasetId}' ${taken.length === 1 ? 'is' : 'are'} named "${taken[0].name}": a name is unique within a dataset (letter case and runs of spaces aside); rename or clear that one first, or choose another name`;
}
