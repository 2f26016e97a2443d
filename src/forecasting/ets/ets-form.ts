/** An ETS form in Hyndman et al. (2008) notation: error, trend (Ad = damped), season. */
export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsForm {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
}

export function formName(f: EtsForm): string {
  return `${f.error}${f.trend}${f.season}`;
}

const FORM = /^(A|M)(N|A|Ad)(N|A|M)$/;

export function parseForm(name: string): EtsForm | null {
  const m = FORM.exec(name);
  if (!m) return null;
  return { error: m[1] as ErrorType, trend: m[2] as TrendType, season: m[3] as SeasonType };
}

/**
 * The forms R's ets() tries by default (restrict = TRUE, no multiplicative trend): additive error
 * with multiplicative season is numerically unstable, and multiplicative error or season needs
 * strictly positive data.
 */
export function candidateForms(positive: boolean, seasonal: boolean): EtsForm[] {
  const forms: EtsForm[] = [];
  for (const error of ['A', 'M'] as const) {
    if (error === 'M' && !positive) continue;
    for (const trend of ['N', 'A', 'Ad'] as const) {
      for (const season of ['N', 'A', 'M'] as const) {
        if (season !== 'N' && !seasonal) continue;
        if (season === 'M' && (error === 'A' || !positive)) continue;
        forms.push({ error, trend, season });
      }
    }
  }
  return forms;
}

/** Number of free values R counts for a form (smoothing parameters + initial states). */
export function parameterCount(f: EtsForm, m: number): number {
  let k = 2; // alpha, l0
  if (f.trend !== 'N') k += 2; // beta, b0
  if (f.trend === 'Ad') k += 1; // phi
  if (f.season !== 'N') k += m; // gamma, m - 1 seasonal states
  return k;
}
