import type { AccuracyResponse } from '../api/types.js';
import { pct } from './pct.js';

/** The accuracy figures per value of the attribute chosen (store, category); nothing without one. */
export function AccuracyGroups({ a }: { a: Pick<AccuracyResponse, 'by' | 'groups'> }) {
  if (!a.by || a.groups.length === 0) return null;
  return (
    <section className="panel" data-testid="accuracy-groups">
      <h3>By {a.by}</h3>
      <table className="table table-compact">
        <thead>
          <tr>
            <th>{a.by}</th>
            <th>SKUs</th>
            <th title="Its SKUs' misses pooled: 100 Σ|a − f| / Σ|a|">WAPE</th>
            <th>Bias</th>
            <th>80%</th>
            <th>95%</th>
            <th title={`The ${a.by}'s summed forecast against its summed actuals, period by period`}>WAPE of the total</th>
            <th>Bias of the total</th>
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
              <td>{pct(g.summed.bias)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
