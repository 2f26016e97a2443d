import { seasonalityTest } from '../decomposition.js';
import { type EtsFit, type EtsFitOptions, fitEtsForm } from './ets-estimate.js';
import { candidateForms, type EtsForm, parameterCount } from './ets-form.js';

export interface AutoEtsOptions extends EtsFitOptions {
  /** Try seasonal forms only when the 90% autocorrelation test finds seasonality (default true;
   *  runForecast has already tested when it hands over a period, so the model passes false). */
  pruneSeasonal?: boolean;
  /** Restrict the search to these forms. */
  forms?: EtsForm[];
  /**
   * Screen first (fits that only score: scoring-tolerance.ts): every form is fitted with this
   * absolute tolerance, then the forms within `within` AICc of the screened best are fitted again
   * without it and the best of those wins. A looser fit's AICc is too high by more the more
   * values it searches, so comparing screened fits alone would lean towards the simpler forms.
   */
  screen?: { absoluteTolerance: number; within: number };
}

export interface AutoEtsResult {
  best: EtsFit;
  /** Every form tried, in order; with a screen, a form outside the band keeps its screened (looser) AICc. */
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
  const { screen, ...fitOptions } = options;
  let fits = forms.map((form) => fitEtsForm(y, m ?? 1, form, screen ? { ...fitOptions, absoluteTolerance: screen.absoluteTolerance } : fitOptions));
  if (screen) {
    let min = Number.POSITIVE_INFINITY;
    for (const fit of fits) if (fit.aicc < min) min = fit.aicc;
    fits = fits.map((fit, i) => (fit.aicc <= min + screen.within ? fitEtsForm(y, m ?? 1, forms[i], fitOptions) : fit));
  }
  const candidates: { name: string; aicc: number }[] = [];
  let best: EtsFit | null = null;
  for (const fit of fits) {
    candidates.push({ name: fit.name, aicc: fit.aicc });
    if (best === null || fit.aicc < best.aicc || (!Number.isFinite(best.aicc) && Number.isFinite(fit.lik) && fit.lik < best.lik)) best = fit;
  }
  return { best: best as EtsFit, candidates, seasonalTested: forms.some((f) => f.season !== 'N') };
}
