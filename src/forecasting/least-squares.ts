/**
 * Solves the normal equations A x = b for a small symmetric positive semi-definite A (row-major,
 * p x p) by Cholesky, with a tiny ridge so a nearly rank-deficient A still gives an answer instead
 * of NaN. Leaves A and b unchanged; returns null if A is not usable.
 */
export interface NormalEquationsScratch { l: Float64Array; z: Float64Array; x: Float64Array }

export function normalEquationsScratch(p: number): NormalEquationsScratch {
  return { l: new Float64Array(p * p), z: new Float64Array(p), x: new Float64Array(p) };
}

/** With `scratch`, nothing is allocated and the returned array is scratch.x (valid until the next call). */
export function solveNormalEquations(a: Float64Array, b: Float64Array, p: number, scratch: NormalEquationsScratch = normalEquationsScratch(p)): Float64Array | null {
  let trace = 0;
  for (let i = 0; i < p; i++) trace += a[i * p + i];
  const ridge = trace > 0 ? (trace / p) * 1e-10 : 1e-12;
  const { l, z, x } = scratch;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j];
      }
    }
  }
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * z[k];
    z[i] = s / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  for (let i = 0; i < p; i++) if (!Number.isFinite(x[i])) return null;
  return x;
}
