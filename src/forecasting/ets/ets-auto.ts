import { seasonalityTest } from '../decomposition.js';
import { type EtsFit, type EtsFitOptions, fitEtsForm } from './ets-estimate.js';
import { candidateForms, type EtsForm, parameterCount } from './ets-form.js';

export interface AutoEtsOptions extends EtsFitOptions {
  /** Try seasonal forms only when the 90% autocorrelation test finds seasonality (default true;
   *  runForecast has already tested when it hands over a period, so the model passes false). */
  pruneSeasonal?: boolean;
  /** Restrict the search to these forms. */
  forms?: EtsForm[];
}

export interface AutoEtsResult {
  best: EtsFit;
  candidates: { name: string; aicc: number }[];
  seasonalTested: boolean;
}

/** The forms auto selection would try for this series (R's rules, plus the optional pruning). */
export function formsFor(y: ArrayLike<number>, m: number | null, options: AutoEtsOptions = {}): EtsForm[] {
  const n = y.length;
  let positive = true;
  for (let i = 0; i < n; i++) if (!(y[i] > 0)) { positive = false; break; }
  const period = m ?? 1;
  let seasonal = period > 1 && period <= 24 && n > period;
  if (seasonal && options.pruneSeasonal !== false) seasonal = seasonalityTest(y, period);
  const all = options.forms ?? candidateForms(positive, seasonal);
  // R: a form needs more than (number of estimated values + 4) observations.
  const ok = all.filter((f) => {
    if (f.error === 'M' && !positive) return false;
    if (f.season === 'M' && !positive) return false;
    if (f.season !== 'N' && !(period > 1)) return false;
    return n > parameterCount(f, period) + 4;
  });
  if (ok.length > 0) return ok;
  return [{ error: 'A', trend: 'N', season: 'N' }];
}

/** R's ets(model = "ZZZ"): fit every candidate form and keep the lowest AICc. */
export function autoEts(y: ArrayLike<number>, m: number | null, options: AutoEtsOptions = {}): AutoEtsResult {
  const forms = formsFor(y, m, options);
  const candidates: { name: string; aicc: number }[] = [];
  let best: EtsFit | null = null;
  for (const form of forms) {
    const fit = fitEtsForm(y, m ?? 1, form, options);
    candidates.push({ name: fit.name, aicc: fit.aicc });
    if (best === null || fit.aicc < best.aicc || (!Number.isFinite(best.aicc) && Number.isFinite(fit.lik) && fit.lik < best.lik)) best = fit;
  }
  return { best: best as EtsFit, candidates, seasonalTested: forms.some((f) => f.season !== 'N') };
}
