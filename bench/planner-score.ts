import { mase, smape } from '../src/forecasting/metrics.js';
import type { SkuForecast } from './planner-sku.js';

/**
 * Scoring shared by bench:planner and bench:heldout: sMAPE, MASE (scaled by the series' calendar
 * period on its cut training part) and how many test values fall inside the 80%/95% bands, per
 * forecast; Tally keeps them by key ("choice/monthly") and averages them.
 */
export interface Score { smape: number; mase: number | null; inside80: number; inside95: number; points: number }

export function score(f: SkuForecast, test: number[], train: number[], period: number): Score {
  const inside = (lo: number[] | null, hi: number[] | null) => {
    if (!lo || !hi) return 0;
    let k = 0;
    for (let i = 0; i < test.length; i++) if (test[i] >= lo[i] && test[i] <= hi[i]) k++;
    return k;
  };
  return {
    smape: smape(test, f.mean), mase: mase(test, f.mean, train, period),
    inside80: inside(f.lower80, f.upper80), inside95: inside(f.lower95, f.upper95), points: test.length,
  };
}

export class Tally {
  private readonly scores = new Map<string, Score[]>();
  add(key: string, s: Score): void {
    const list = this.scores.get(key) ?? [];
    list.push(s);
    this.scores.set(key, list);
  }
  summary(key: string) {
    const list = this.scores.get(key) ?? [];
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    const points = list.reduce((a, s) => a + s.points, 0);
    return {
      series: list.length,
      smape: mean(list.map((s) => s.smape)),
      mase: mean(list.flatMap((s) => (s.mase === null || !Number.isFinite(s.mase) ? [] : [s.mase]))),
      coverage80: points ? list.reduce((a, s) => a + s.inside80, 0) / points : Number.NaN,
      coverage95: points ? list.reduce((a, s) => a + s.inside95, 0) / points : Number.NaN,
    };
  }
}
