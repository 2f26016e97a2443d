import { formatNumber } from '../api/format.js';

/** A percentage the accuracy figures state ("12.3%"), "–" where none is defined (no actual volume). */
export const pct = (v: number | null) => (v === null ? '–' : `${formatNumber(v, 1)}%`);
