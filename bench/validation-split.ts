/**
 * The validation split of one series' TRAINING part (bench/choice-dump.ts): the target is the
 * origin-th block of `horizon` points from its end (1: the last horizon points), the models see only
 * the points before it. Nothing past the training part exists here, so no test value can enter.
 * Null where fewer than `minFit` points would be left to fit on.
 */
export function validationSplit(train: number[], horizon: number, origin: number, minFit = 8): { fit: number[]; target: number[] } | null {
  const end = train.length - (origin - 1) * horizon;
  const cut = end - horizon;
  if (cut < minFit) return null;
  return { fit: train.slice(0, cut), target: train.slice(cut, end) };
}
