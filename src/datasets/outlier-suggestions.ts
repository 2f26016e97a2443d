/**
 * Suggested outliers: points far from a robust seasonal fit. The fit is a centred running median
 * (the level, untouched by spikes) plus the median deviation at each season position; a point's
 * score is the robust z-score of its residual, 0.6745 (r - median r) / MAD (Iglewicz and Hoaglin;
 * the scale is at least 5% of the typical non-zero value), and |score| > 3.5 is suggested with the fitted value as its replacement. Intermittent series
 * (mostly zeros) have a MAD of 0: there the mean absolute deviation stands in, and zeros are never
 * flagged, since no sale is not an outlier.
 */
export interface OutlierSuggestion {
  index: number;
  value: number;
  suggested: number;
  score: number;
}

export const OUTLIER_THRESHOLD = 3.5;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Level: a centred running median (a period wide, at least 5). At the ends, where no centred
 * window fits, the level is extended along the slope of the last interior period, so a trend
 * does not leave the first and last points looking like outliers.
 */
export function seasonalFit(values: number[], period: number): number[] {
  const n = values.length;
  const half = Math.max(2, Math.floor(Math.max(period, 5) / 2));
  const level: number[] = new Array(n);
  if (n < 2 * half + 1) {
    level.fill(median(values));
  } else {
    for (let i = half; i < n - half; i++) level[i] = median(values.slice(i - half, i + half + 1));
    const span = Math.min(Math.max(period, 1), n - 2 * half - 1);
    const first = half;
    const last = n - half - 1;
    const slopeStart = span > 0 ? (level[first + span] - level[first]) / span : 0;
    const slopeEnd = span > 0 ? (level[last] - level[last - span]) / span : 0;
    for (let i = 0; i < first; i++) level[i] = level[first] - slopeStart * (first - i);
    for (let i = last + 1; i < n; i++) level[i] = level[last] + slopeEnd * (i - last);
  }
  if (period < 2 || n < 2 * period) return level;
  const byPosition: number[][] = Array.from({ length: period }, () => []);
  for (let i = 0; i < n; i++) byPosition[i % period].push(values[i] - level[i]);
  const seasonal = byPosition.map(median);
  return level.map((l, i) => l + seasonal[i % period]);
}

/**
 * Intermittent demand (over 30% zeros) has no seasonal shape to fit: there a demand is compared
 * with the other non-zero demand sizes (robust z on their median and MAD), and the suggestion is
 * their median.
 */
function intermittentOutliers(values: number[], threshold: number): OutlierSuggestion[] {
  const sizes = values.filter((v) => v > 0);
  if (sizes.length < 4) return [];
  const center = median(sizes);
  const scale = Math.max(median(sizes.map((v) => Math.abs(v - center))) / 0.6745, 0.25 * center, 1);
  const out: OutlierSuggestion[] = [];
  values.forEach((v, index) => {
    if (v <= 0) return;
    const score = (v - center) / scale;
    if (Math.abs(score) > threshold) out.push({ index, value: v, suggested: Math.round(center * 100) / 100, score: Math.round(score * 100) / 100 });
  });
  return out;
}

export function suggestOutliers(values: number[], period: number, threshold = OUTLIER_THRESHOLD): OutlierSuggestion[] {
  if (values.length < 6) return [];
  const zeros = values.filter((v) => v === 0).length;
  if (zeros > 0.3 * values.length) return intermittentOutliers(values, threshold);
  const fit = seasonalFit(values, period);
  const residuals = values.map((v, i) => v - fit[i]);
  const center = median(residuals);
  let scale = median(residuals.map((r) => Math.abs(r - center))) / 0.6745;
  if (scale === 0) {
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    scale = (residuals.reduce((a, r) => a + Math.abs(r - mean), 0) / residuals.length) * 1.2533;
  }
  // A series the fit explains almost exactly would make every small wobble "extreme": a point
  // within a few percent of the typical level is never an outlier.
  const typical = median(values.filter((v) => v !== 0).map(Math.abs));
  scale = Math.max(scale, 0.05 * typical);
  if (!(scale > 0)) return [];
  const out: OutlierSuggestion[] = [];
  for (let i = 0; i < values.length; i++) {
    const score = (residuals[i] - center) / scale;
    if (Math.abs(score) <= threshold || values[i] === 0) continue;
    const suggested = Math.max(0, Math.round(fit[i] * 100) / 100);
    out.push({ index: i, value: values[i], suggested, score: Math.round(score * 100) / 100 });
  }
  return out;
}
