/** Ordinary least squares of y[0..n-1] on [1, t] for t = 1..n (R's lsfit(1:n, y)): [intercept, slope]. */
export function linearTrend(y: ArrayLike<number>, n = y.length): [number, number] {
  let st = 0, sy = 0, stt = 0, sty = 0;
  for (let i = 0; i < n; i++) {
    const t = i + 1;
    st += t; sy += y[i]; stt += t * t; sty += t * y[i];
  }
  const d = n * stt - st * st;
  if (n < 2 || d === 0) return [sy / Math.max(1, n), 0];
  const slope = (n * sty - st * sy) / d;
  return [(sy - slope * st) / n, slope];
}
