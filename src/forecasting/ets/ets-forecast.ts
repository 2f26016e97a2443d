import type { IntervalBand } from '../forecast-types.js';
import type { EtsFit } from './ets-estimate.js';
import { intervalBands } from '../prediction-intervals.js';

export interface EtsForecast {
  mean: number[];
  variance: number[];
  intervals: IntervalBand[];
}

/**
 * Point forecasts from the last state, and forecast variances:
 * - class 1 (additive error): v_h = s2 (1 + sum_{j<h} c_j^2), c_j = alpha + beta phi_j + gamma [j mod m = 0]
 *   (Hyndman et al. 2008, Table 6.1), exact;
 * - class 2 (multiplicative error, additive or no season): v_h = (1 + s2) theta_h - mu_h^2 with
 *   theta_h = mu_h^2 + s2 sum_{j<h} c_j^2 theta_{h-j} (ibid. 6.3), exact;
 * - multiplicative season with multiplicative error (R's "class 3"): the class 2 recursion on the
 *   level/trend part, scaled by the squared seasonal index (the gamma term enters c_j at whole
 *   seasons). Exact for h <= m, a first-order approximation beyond; R uses a Kronecker-product
 *   recursion that costs O(m^6) per step.
 * Intervals are mean +- z sqrt(v_h).
 */
export function etsForecast(fit: EtsFit, h: number, levels: number[]): EtsForecast {
  const { params, m, form } = fit;
  const { l, b, ring, ptr } = fit.run.final;
  const seasonal = form.season !== 'N';
  const multSeason = form.season === 'M';
  const mean = new Array<number>(h);
  const base = new Float64Array(h); // level + trend part
  const sIdx = new Float64Array(h); // seasonal index (1 or 0 when none)
  let phiSum = 0; // phi + phi^2 + ... + phi^(i+1)
  let phiPow = 1;
  for (let i = 0; i < h; i++) {
    phiPow *= params.phi;
    phiSum += form.trend === 'N' ? 0 : phiPow;
    base[i] = l + phiSum * b;
    const s = seasonal ? ring[(ptr + i) % m] : multSeason ? 1 : 0;
    sIdx[i] = s;
    mean[i] = multSeason ? base[i] * s : base[i] + (seasonal ? s : 0);
  }
  // c_j for j = 1..h-1
  const c = new Float64Array(h);
  let pSum = 0;
  let pPow = 1;
  for (let j = 1; j < h; j++) {
    pPow *= params.phi;
    pSum += pPow;
    let cj = params.alpha;
    if (form.trend !== 'N') cj += params.beta * (form.trend === 'Ad' ? pSum : j);
    if (seasonal && j % m === 0) cj += params.gamma;
    c[j] = cj;
  }
  const s2 = fit.sigma2;
  const variance = new Array<number>(h);
  if (form.error === 'A') {
    let acc = 0;
    for (let i = 0; i < h; i++) {
      if (i > 0) acc += c[i] * c[i];
      variance[i] = s2 * (1 + acc);
    }
  } else {
    const mu = multSeason ? base : Float64Array.from(mean);
    const theta = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      let t = mu[i] * mu[i];
      for (let j = 1; j <= i; j++) t += s2 * c[j] * c[j] * theta[i - j];
      theta[i] = t;
      const v = (1 + s2) * t - mu[i] * mu[i];
      variance[i] = multSeason ? v * sIdx[i] * sIdx[i] : v;
    }
  }
  return { mean, variance, intervals: intervalBands(mean, variance, levels) };
}
