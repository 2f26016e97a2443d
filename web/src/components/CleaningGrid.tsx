import { useEffect, useRef, useState } from 'react';
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

function CellInput({ date, value, disabled, onCommit }: { date: string; value: number; disabled: boolean; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  const committed = useRef<number | null>(null); // Enter then blur must not send the edit twice
  useEffect(() => {
    setText(String(value));
    committed.current = null;
  }, [value]);
  const commit = () => {
    const next = Number(text);
    if (text.trim() === '' || !Number.isFinite(next)) {
      setText(String(value));
      return;
    }
    if (next !== value && next !== committed.current) {
      committed.current = next;
      onCommit(next);
    }
  };
  return (
    <input
      className="cell-input"
      type="number"
      step="any"
      inputMode="decimal"
      value={text}
      disabled={disabled}
      data-date={date}
      aria-label={`Value on ${date}`}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setText(String(value));
      }}
    />
  );
}
