import { Fragment } from 'react';
import { formatNumber } from '../format.js';
import type { AccuracyMetric, ModelRun } from '../api/types.js';
import { inPlannerWords } from './planner-words.js';

const metrics: Array<AccuracyMetric | 'bias'> = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape', 'bias'];
/** In use, model, the metrics, AICc, parameters, chart · choice: what a model's note line spans. */
const columns = 2 + metrics.length + 3;

interface ModelComparisonTableProps {
  runs: ModelRun[];
  bestModel: string | null;
  selectedBy: 'metric' | 'override';
  /** How the shown forecast was made, in a few words (choiceLabel). */
  choice: string;
  /** Why that mix's error can exceed a model's below it (choiceWhy); null when it is no fixed mix. */
  choiceWhy?: string | null;
  /** The shown forecast's own error by `metric` (the API's item `error`). */
  shownError: number | null;
  metric: AccuracyMetric | null;
  shown: Set<string>;
  onToggle: (modelId: string) => void;
  onChoose: (modelId: string | null) => void;
  busy: boolean;
}

function formatParameter(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(3))) : String(value);
}

/**
 * Every model fitted for the SKU, its cross-validation metrics and parameters; a star on the one
 * in use. A combination (the default choice) is no row of its own in the results, so it gets one on
 * top with its own error by the dataset's metric, over the same cross-validation points: the
 * planner compares it with each model's. Where a model scores lower than the shown mix, a note
 * under the table says so and why the mix is kept: a planner walking through found the reason
 * only in a tooltip and read the table as "the app shows the worse forecast". A model whose run
 * left notes (its `warnings`: a season shrunk or left out, a shorter holdout) has a ⚠ by its name
 * and the notes on a line under its row, readable without hovering, as the note above is.
 */
export function ModelComparisonTable({ runs, bestModel, selectedBy, choice, choiceWhy, shownError, metric, shown, onToggle, onChoose, busy }: ModelComparisonTableProps) {
  if (runs.length === 0) return <p className="empty-state">No model has finished for this SKU yet.</p>;
  const combination = bestModel !== null && !runs.some((r) => r.modelId === bestModel);
  // The mix's error under MASE is its MAE (choose-forecast.ts ranks MASE as MAE: one scale for
  // every candidate of a SKU), so it is shown, and compared, in the MAE column.
  const key = metric === 'mase' || metric === null ? 'mae' : metric;
  const lowest = combination && shownError !== null
    ? runs.reduce<ModelRun | null>((best, r) => ((r.metrics?.[key] ?? Infinity) < (best?.metrics?.[key] ?? Infinity) ? r : best), null)
    : null;
  const lower = lowest && (lowest.metrics?.[key] ?? Infinity) < (shownError as number) ? lowest : null;
  const sorted = [...runs].sort((a, b) => (a.modelId === bestModel ? -1 : b.modelId === bestModel ? 1 : (a.metrics?.[metric ?? 'mae'] ?? Infinity) - (b.metrics?.[metric ?? 'mae'] ?? Infinity)));
  return (
    <div className="table-wrap">
      <table className="table models-table" aria-label="Model comparison" aria-describedby={lower ? 'models-lower-note' : undefined}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">In use</span>
            </th>
            <th scope="col">Model</th>
            {metrics.map((m) => (
              <th key={m} scope="col" className={`num${m === metric ? ' metric-key' : ''}`} title={m === metric ? 'Cross-validation error (forecasts from several origins, each tuned on the data before it); the metric the choice is scored by' : m === 'bias' ? 'Mean of forecast minus actual, in the data’s units: positive over-forecasts' : undefined}>
                {m.toUpperCase()}
                {m === 'mape' || m === 'smape' || m === 'wape' ? ' %' : ''}
              </th>
            ))}
            <th scope="col" className="num">
              AICc
            </th>
            <th scope="col">Parameters</th>
            <th scope="col">Chart · choice</th>
          </tr>
        </thead>
        <tbody>
          {combination ? (
            <tr className="best-row" data-testid="shown-row">
              <td className="star" aria-label="In use">
                ★
              </td>
              <td className="model-name">
                <strong>shown forecast</strong> <small className="muted">{bestModel}</small>
              </td>
              {metrics.map((m) => (
                <td key={m} className="num">
                  {m === key ? formatNumber(shownError, 2) : ''}
                </td>
              ))}
              <td className="num" />
              <td className="params muted">its error by {key.toUpperCase()} only{metric === 'mase' ? ' (MASE ranks as MAE within a SKU)' : ''}</td>
              <td className="choice" title={choiceWhy ?? undefined}>
                <small className="muted">{choice}</small>
              </td>
            </tr>
          ) : null}
          {sorted.map((run) => {
            const best = run.modelId === bestModel;
            // An API from before the field answers none.
            const notes = run.warnings ?? [];
            const notesId = `model-notes-${run.modelId}-${run.method}`;
            return (
              <Fragment key={`${run.modelId}/${run.method}`}>
                <tr className={best ? 'best-row' : undefined} data-testid="model-row" data-model={run.modelId}>
                  <td className="star" aria-label={best ? 'In use' : undefined}>
                    {best ? '★' : ''}
                  </td>
                  <td className="model-name" aria-describedby={notes.length > 0 ? notesId : undefined}>
                    <strong>{run.modelId}</strong> <small className="muted">{run.method}</small>
                    {notes.length > 0 ? (
                      <>
                        {' '}
                        <span className="model-notes-mark" role="img" aria-label={`${notes.length} note${notes.length === 1 ? '' : 's'} below`} data-testid="model-notes-mark">
                          ⚠
                        </span>
                      </>
                    ) : null}
                  </td>
                  {metrics.map((m) => (
                    <td key={m} className="num">
                      {formatNumber(run.metrics?.[m] ?? null, 2)}
                    </td>
                  ))}
                  <td className="num">{formatNumber(run.aicc, 1)}</td>
                  <td className="params">
                    {Object.entries(run.parameters).length === 0
                      ? '–'
                      : Object.entries(run.parameters)
                          .map(([k, v]) => `${k}=${formatParameter(v)}`)
                          .join(', ')}
                  </td>
                  <td className="choice">
                    <div className="model-actions">
                      {best ? null : (
                        <label className="toggle">
                          <input type="checkbox" checked={shown.has(run.modelId)} onChange={() => onToggle(run.modelId)} aria-label={`Show ${run.modelId} on the chart`} />
                          show
                        </label>
                      )}
                      {best && selectedBy === 'override' ? (
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => onChoose(null)} title="Let cross-validation choose again">
                          Auto
                        </button>
                      ) : best ? (
                        <small className="muted">{choice}</small>
                      ) : (
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => onChoose(run.modelId)} aria-label={`Use ${run.modelId}`}>
                          Use
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
                {notes.length > 0 ? (
                  <tr className={`model-notes${best ? ' best-row' : ''}`} data-testid="model-notes" data-model={run.modelId}>
                    <td />
                    <td colSpan={columns - 1} id={notesId}>
                      <ul>
                        {notes.map((note, i) => (
                          <li key={i}>
                            <span className="model-notes-mark" aria-hidden="true">⚠</span> {inPlannerWords(note)}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {lower ? (
        <p className="muted models-note" id="models-lower-note" data-testid="lower-note">
          {lower.modelId} scores a lower {key.toUpperCase()} on this SKU ({formatNumber(lower.metrics?.[key] ?? null, 2)} against the shown
          forecast's {formatNumber(shownError, 2)}), on the same cross-validation points.{' '}
          {choiceWhy ?? 'The shown forecast pools the models that cross-validation ranks best; a ranking of single models on few points is noisy.'} “Use” pins {lower.modelId} for this SKU.
        </p>
      ) : null}
    </div>
  );
}
