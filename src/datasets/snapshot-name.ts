import { snapshotNameMax } from './planning-cycle-store.js';

/**
 * A snapshot's name as every door takes it (PATCH, `skucast snapshots name`): trimmed, 1 to
 * snapshotNameMax characters counted as the databases count them (code points: an emoji is one,
 * not the two UTF-16 units JavaScript's length says), and no control character: a name is printed
 * in an operator's terminal by `snapshots list`, where an escape sequence or a line break would
 * act rather than show. Returns why it is refused, or null.
 */
export function snapshotNameProblem(trimmed: string): string | null {
  if (trimmed.length === 0) return `a snapshot name is 1 to ${snapshotNameMax} characters after trimming`;
  const length = [...trimmed].length;
  if (length > snapshotNameMax) return `a snapshot name is at most ${snapshotNameMax} characters (this one has ${length})`;
  const control = /\p{Cc}/u.exec(trimmed);
  if (control) return `a snapshot name holds no control character (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): letters, digits, spaces and punctuation`;
  return null;
}
