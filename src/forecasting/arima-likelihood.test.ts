import { describe, expect, it } from 'vitest';
import { armaAutocovariances, armaKalman, armaStateForecast, minusTwoLogLikelihood } from './arima-likelihood.js';

/** Dense polynomials by lag: phi[0] unused, theta[0] = 1. */
const ar = (...c: number[]) => Float64Array.from([1, ...c]);
const ma = (...c: number[]) => Float64Array.from([1, ...c]);

/**
 * -2 log L of w ~ N(0, sigma^2 Gamma) straight from the n x n autocovariance matrix (Cholesky),
 * at sigma^2 = w' Gamma^-1 w / n: the number the filter must reproduce.
 */
function directMinusTwoLogLik(w: number[], gamma: Float64Array): number {
  const n = w.length;
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = gamma[i - j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  const z = new Float64Array(n);
  let logdet = 0, quad = 0;
  for (let i = 0; i < n; i++) {
    let s = w[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
    quad += z[i] * z[i];
    logdet += 2 * Math.log(L[i][i]);
  }
  return n * (Math.log((2 * Math.PI * quad) / n) + 1) + logdet;
}

const series = Array.from({ length: 30 }, (_, t) => Math.sin(t * 0.9) * 3 + Math.cos(t * 2.3) + ((t * 7) % 5) - 2);

describe('ARMA autocovariances', () => {
  it('match the closed forms of AR(1), MA(1) and ARMA(1,1)', () => {
    const a = armaAutocovariances(ar(0.6), ma(), 3)!;
    expect(a[0]).toBeCloseTo(1 / (1 - 0.36), 12);
    expect(a[1]).toBeCloseTo(0.6 / (1 - 0.36), 12);
    expect(a[3]).toBeCloseTo(0.216 / (1 - 0.36), 12);
    const m = armaAutocovariances(ar(), ma(-0.4), 2)!;
    expect([m[0], m[1], m[2]]).toEqual([expect.closeTo(1.16, 12), expect.closeTo(-0.4, 12), expect.closeTo(0, 12)]);
    const b = armaAutocovariances(ar(0.5), ma(0.3), 2)!;
    const g0 = (1 + 2 * 0.5 * 0.3 + 0.09) / (1 - 0.25);
    expect(b[0]).toBeCloseTo(g0, 12);
    expect(b[1]).toBeCloseTo(0.5 * g0 + 0.3, 12);
    expect(b[2]).toBeCloseTo(0.5 * b[1], 12);
  });

  it('answer null at a unit root', () => {
    expect(armaAutocovariances(ar(1), ma(), 2)).toBeNull();
  });
});

describe('the Kalman filter likelihood', () => {
  const cases = [
    { name: 'AR(2)', phi: ar(0.5, 0.3), theta: ma() },
    { name: 'MA(2), near non-invertible', phi: ar(), theta: ma(-0.95, 0.1) },
    { name: 'ARMA(1,1)', phi: ar(-0.7), theta: ma(0.5) },
    { name: 'ARMA(1,1)(0,1)[4]', phi: ar(0.6), theta: ma(-0.3, 0, 0, -0.5, 0.15) },
  ];
  for (const c of cases) {
    it(`equals the Gaussian likelihood from the full covariance matrix: ${c.name}`, () => {
      const gamma = armaAutocovariances(c.phi, c.theta, series.length)!;
      const lik = armaKalman(series, c.phi, c.theta)!;
      expect(minusTwoLogLikelihood(lik, series.length)).toBeCloseTo(directMinusTwoLogLik(series, gamma), 6);
    });
  }

  it('forecasts an AR(1) as phi^h times the last value', () => {
    const lik = armaKalman(series, ar(0.8), ma())!;
    const f = armaStateForecast(lik.state, ar(0.8), 3);
    const last = series[series.length - 1];
    f.forEach((v, i) => expect(v).toBeCloseTo(last * 0.8 ** (i + 1), 12));
  });

  it('gives the one-step errors as residuals: an MA(1) from the stationary start', () => {
    const lik = armaKalman(series, ar(), ma(0.5))!;
    expect(lik.residuals[0]).toBe(series[0]); // nothing observed yet: the prediction is the mean
    // E(w1 | w0) = gamma(1) / gamma(0) w0 = 0.5 / 1.25 w0
    expect(lik.residuals[1]).toBeCloseTo(series[1] - 0.4 * series[0], 12);
  });
});
