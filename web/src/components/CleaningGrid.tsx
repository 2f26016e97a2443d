import { useEffect, useId, useRef, useState } from 'react';
import { formatDate, formatNumber } from '../format.js';
import type { SkuSeries } from '../api/types.js';

interface CleaningGridProps {
  series: SkuSeries;
  busy: boolean;
  focusDate: string | null;
  onEdit: (date: string, value: number) => void;
  onReset: (date: string) => void;
  onAcceptOutliers: (dates?: string[]) => void;
  onUndoAll: () => void;
}

/**
 * The SKU's history as an editable grid: type a value and press Enter (or leave the cell) to
 * clean a point; suggested outliers can be accepted one by one or all at once. Each change
 * re-optimizes the SKU at priority 1.
 */
export function CleaningGrid({ series, busy, focusDate, onEdit, onReset, onAcceptOutliers, onUndoAll }: CleaningGridProps) {
  const outliers = new Map(series.outliers.map((o) => [o.date, o]));
  const editedCount = series.original.filter((v, i) => v !== series.cleaned[i]).length;
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    if (!focusDate || !bodyRef.current) return;
    const input = bodyRef.current.querySelector<HTMLInputElement>(`input[data-date="${focusDate}"]`);
    input?.scrollIntoView({ block: 'center' });
    input?.focus();
    input?.select();
  }, [focusDate]);

  return (
    <div className="cleaning">
      <div className="cleaning-head">
        <h3>Clean the history</h3>
        <span className="muted">
          {editedCount} edited · {series.outliers.length} suggested outlier{series.outliers.length === 1 ? '' : 's'}
        </span>
        <button type="button" className="btn btn-small" disabled={busy || series.outliers.length === 0} onClick={() => onAcceptOutliers()}>
          Accept all suggested ({series.outliers.length})
        </button>
        <button type="button" className="btn btn-small" disabled={busy || editedCount === 0} onClick={onUndoAll}>
          Undo all edits
        </button>
      </div>
      <div className="table-wrap grid-scroll">
        <table className="table table-compact cleaning-grid" aria-label={`History of ${series.sku}`}>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col" className="num">
                Original
              </th>
              <th scope="col" className="num">
                Cleaned
              </th>
              <th scope="col">Suggestion</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {series.dates.map((date, i) => {
              const edited = series.original[i] !== series.cleaned[i];
              const outlier = outliers.get(date);
              return (
                <tr key={date} className={`${edited ? 'edited' : ''}${outlier ? ' outlier' : ''}${date === focusDate ? ' focused' : ''}`}>
                  <td>{formatDate(date)}</td>
                  <td className="num">{formatNumber(series.original[i], 2)}</td>
                  <td className="num">
                    <CellInput date={date} value={series.cleaned[i]} disabled={busy} onCommit={(v) => onEdit(date, v)} />
                  </td>
                  <td>
                    {outlier ? (
                      <span className="outlier-hint">
                        outlier → {formatNumber(outlier.suggested, 2)}{' '}
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => onAcceptOutliers([date])}>
                          Accept
                        </button>
                      </span>
                    ) : null}
                  </td>
                  <td>
                    {edited ? (
                      <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => onReset(date)} aria-label={`Reset ${date} to the original value`}>
                        Reset
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * What the API accepts for an edited value (src/datasets/series-editing.ts): a finite number >= 0,
 * decimals allowed. A value it would refuse is never sent: the cell says why in plain words
 * (the API's own message names a field path, "edits[0].value").
 */
export function cellValueProblem(text: string, badInput = false): string | null {
  if (badInput) return 'Enter a number of 0 or more.';
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Enter a number of 0 or more.';
  if (value < 0) return 'Sales cannot be negative: enter 0 or more.';
  // The API's bound (src/forecasting/run-forecast.ts MAX_ABS_VALUE): the models' sums overflow above it.
  if (value > 1e15) return 'Too large: enter at most 1,000,000,000,000,000.';
  return null;
}

function CellInput({ date, value, disabled, onCommit }: { date: string; value: number; disabled: boolean; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  const messageId = useId();
  const committed = useRef<number | null>(null); // Enter then blur must not send the edit twice
  useEffect(() => {
    setText(String(value));
    setProblem(null);
    committed.current = null;
  }, [value]);
  const revert = () => {
    setText(String(value));
    setProblem(null);
  };
  const commit = (input: HTMLInputElement) => {
    // A number input reports '' for text that is no number ("1-"): badInput tells it from an empty cell.
    const badInput = input.validity?.badInput ?? false;
    if (text.trim() === '' && !badInput) {
      revert();
      return;
    }
    const found = cellValueProblem(text, badInput);
    setProblem(found);
    if (found) return;
    const next = Number(text);
    if (next !== value && next !== committed.current) {
      committed.current = next;
      onCommit(next);
    }
  };
  return (
    <>
      <input
        className="cell-input"
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        value={text}
        disabled={disabled}
        data-date={date}
        aria-label={`Value on ${date}`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? messageId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          // The message goes as soon as the value is one the API takes; a new problem waits for Enter or leaving.
          if (problem && !cellValueProblem(e.target.value, e.target.validity?.badInput ?? false)) setProblem(null);
        }}
        onBlur={(e) => commit(e.currentTarget)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(e.currentTarget);
          if (e.key === 'Escape') revert();
        }}
      />
      {problem ? (
        <span className="cell-error" id={messageId} role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
