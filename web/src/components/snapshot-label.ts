import type { Snapshot } from '../api/types.js';

/**
 * How "How did we do" names a snapshot in its sentences: by the planner's name when it has one
 * ("“S&OP KW47” (snapshot #2)"), else by its number ("snapshot #2"). The headline read "snapshot #2"
 * after the planner had named it "S&OP KW47" (planner walkthrough, finding 8).
 */
export function snapshotLabel(snapshot: Pick<Snapshot, 'id' | 'name'>): string {
  return snapshot.name != null ? `“${snapshot.name}” (snapshot #${snapshot.id})` : `snapshot #${snapshot.id}`;
}

/**
 * accuracy.csv's file name in the browser: "accuracy-2-S&OP_KW47.csv" for a named snapshot, the
 * name's characters a file system refuses (/ \ : * ? " < > |) and its blanks made "_".
 */
export function accuracyFileName(snapshot: Pick<Snapshot, 'id' | 'name'> | undefined, by: string): string {
  const named = snapshot?.name != null ? `-${snapshot.name.replace(/[\\/:*?"<>|\s]+/g, '_')}` : '';
  return `accuracy-${snapshot?.id ?? 'latest'}${named}${by ? `-by-${by}` : ''}.csv`;
}
