import type { DemandClass } from './dataset.js';

/**
 * Syntetos-Boylan classification (2005): ADI, the average interval between non-zero demands, and
 * CV², the squared coefficient of variation of the non-zero sizes, against the cut-offs 1.32 and
 * 0.49. It tells a planner which SKUs need intermittent-demand models (Croston, SBA, TSB).
 */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export function demandStatistics(values: ArrayLike<number>): { adi: number; cv2: number; nonZero: number } {
  let nonZero = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 0) {
      nonZero++;
      sum += values[i];
    }
  }
  if (nonZero === 0) return { adi: Infinity, cv2: 0, nonZero };
  const mean = sum / nonZero;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) ss += (values[i] - mean) ** 2;
  const variance = nonZero > 1 ? ss / (nonZero - 1) : 0;
  return { adi: values.length / nonZero, cv2: variance / (mean * mean), nonZero };
}

export function classifyDemand(values: ArrayLike<number>): DemandClass {
  const { adi, cv2 } = demandStatistics(values);
  if (adi < ADI_CUTOFF) return cv2 < CV2_CUTOFF ? 'smooth' : 'erratic';
  return cv2 < CV2_CUTOFF ? 'intermittent' : 'lumpy';
}
