import type { AccuracyResponse } from '../api/types.js';
import { pct } from './pct.js';

/**
 * A group's bias and the bias of its total are the same number by definition whenever no actual is
 * negative: over the same points, sum_t (F_t - A_t) = sum (f - a), and sum_t |A_t| = sum |a| when
 * every a >= 0 (src/datasets/accuracy.ts, Tally and SumTally). They part only when returns make a
 * SKU's actual negative. Two columns of identical values read as a mistake, so the total's is
 * shown only when it differs somewhere (by more than the rounding of the API's figures).
 */
export function totalBiasDiffers(groups: Pick<AccuracyResponse['groups'][number], 'bias' | 'summed'>[]): boolean {
  return groups.some((g) => (g.bias === null) !== (g.summed.bias === null) || (g.bias !== null && g.summed.bias !== null && Math.abs(g.bias - g.summed.bias) > 0.01));
}

const sameBiasTitle = 'Forecast minus actual over its SKUs\' points, as a percentage of actual volume (positive: over-forecast). It is also the bias of its total: a sum\'s over-forecast is its SKUs\' over-forecasts summed, so no column of its own (one appears when returns, negative actuals, make them differ)';

/** The accuracy figures per value of the attribute chosen (store, category); nothing without one. */
export function AccuracyGroups({ a }: { a: Pick<AccuracyResponse, 'by' | 'groups'> }) {
  if (!a.by || a.groups.length === 0) return null;
  const totalBias = totalBiasDiffers(a.groups);
  return (
    <section className="panel" data-testid="accuracy-groups">
      <h3>By {a.by}</h3>
      <table className="table table-compact">
        <thead>
          <tr>
            <th>{a.by}</th>
            <th>SKUs</th>
            <th title="Its SKUs' misses pooled: 100 Σ|a − f| / Σ|a|">WAPE</th>
            <th title={totalBias ? undefined : sameBiasTitle}>{totalBias ? 'Bias' : 'Bias (also of the total)'}</th>
            <th>80%</th>
            <th>95%</th>
            <th title={`The ${a.by}'s summed forecast against its summed actuals, period by period`}>WAPE of the total</th>
            {totalBias ? <th>Bias of the total</th> : null}
          </tr>
        </thead>
        <tbody>
          {a.groups.map((g) => (
            <tr key={g.value ?? ''} data-testid="accuracy-group" data-value={g.value ?? ''}>
              <td>{g.value ?? '(none)'}</td>
              <td>{g.skus}</td>
              <td>{pct(g.wape)}</td>
              <td>{pct(g.bias)}</td>
              <td>{pct(g.coverage80)}</td>
              <td>{pct(g.coverage95)}</td>
              <td>{pct(g.summed.wape)}</td>
              {totalBias ? <td>{pct(g.summed.bias)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
