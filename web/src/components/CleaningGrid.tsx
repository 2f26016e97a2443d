import { useEffect, useId, useRef, useState } from 'react';
import { formatDate, formatLocale, formatNumber, formatValue } from '../format.js';
import { numberExample, parseNumber } from '../parse-number.js';
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
  // The API lists every outlier it finds on the original values, accepted ones too (`accepted`: the
  // point's edit is the suggestion). A point accepted or edited by hand is no longer a suggestion:
  // it leaves the count and "Accept all", which names the rest, so it never overwrites a hand edit.
  const pending = series.outliers.filter((o) => !o.accepted && series.original[o.index] === series.cleaned[o.index]);
  const pendingDates = new Set(pending.map((o) => o.date));
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  // "Undo all edits" throws away every cleaning of the SKU, with no redo: it asks first, naming how many go.
  const [confirmUndo, setConfirmUndo] = useState(false);
  const undoId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const edits = `${editedCount} edit${editedCount === 1 ? '' : 's'}`;
  useEffect(() => {
    if (confirmUndo) keepRef.current?.focus();
  }, [confirmUndo]);
  if (confirmUndo && editedCount === 0) setConfirmUndo(false);
  const cancelUndo = () => {
    setConfirmUndo(false);
    // The button is enabled again when this change renders: focus it after.
    setTimeout(() => undoRef.current?.focus(), 0);
  };

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
          {editedCount} edited · {pending.length} suggested outlier{pending.length === 1 ? '' : 's'}
        </span>
        <button type="button" className="btn btn-small" disabled={busy || pending.length === 0} onClick={() => onAcceptOutliers(pending.map((o) => o.date))}>
          Accept all suggested ({pending.length})
        </button>
        <button type="button" className="btn btn-small" ref={undoRef} disabled={busy || editedCount === 0 || confirmUndo} onClick={() => setConfirmUndo(true)}>
          Undo all edits
        </button>
      </div>
      {confirmUndo ? (
        <div
          className="banner banner-warning confirm-undo"
          role="group"
          aria-labelledby={`${undoId}-q`}
          data-testid="confirm-undo"
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancelUndo();
          }}
        >
          <span id={`${undoId}-q`}>
            Undo all {edits} of {series.sku}? The cleaned {editedCount === 1 ? 'value goes' : 'values go'} back to the original and the SKU is re-optimized; there is no redo.
          </span>{' '}
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={busy}
            onClick={() => {
              setConfirmUndo(false);
              onUndoAll();
            }}
          >
            Yes, undo {edits}
          </button>{' '}
          <button
            type="button"
            className="btn btn-small"
            ref={keepRef}
            onClick={cancelUndo}
          >
            Keep them
          </button>
        </div>
      ) : null}
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
              const suggested = outlier !== undefined && pendingDates.has(date);
              return (
                <tr key={date} className={`${edited ? 'edited' : ''}${suggested ? ' outlier' : ''}${date === focusDate ? ' focused' : ''}`}>
                  <td>{formatDate(date)}</td>
                  <td className="num">{formatValue(series.original[i])}</td>
                  <td className="num">
                    <CellInput date={date} value={series.cleaned[i]} disabled={busy} onCommit={(v) => onEdit(date, v)} />
                  </td>
                  <td>
                    {outlier && !suggested ? (
                      <span className="muted" data-testid="outlier-done">
                        {outlier.accepted ? 'outlier accepted' : `outlier, edited (suggested ${formatNumber(outlier.suggested, 2)})`}
                      </span>
                    ) : outlier ? (
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
                      <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => onReset(date)} aria-label={`Reset ${formatDate(date)} to the original value`}>
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
 * decimals allowed, typed the locale's way (parse-number.ts: 1.234,5 in de-DE). A value it would
 * refuse, or text that cannot be read unambiguously, is never sent: the cell says why in plain
 * words (the API's own message names a field path, "edits[0].value").
 */
export function readCellValue(text: string, locale: string | undefined): { value: number; problem: null } | { value: null; problem: string } {
  const value = parseNumber(text, locale);
  if (value === null) return { value: null, problem: `Enter a number of 0 or more, written like ${numberExample(locale)}.` };
  if (value < 0) return { value: null, problem: 'Sales cannot be negative: enter 0 or more.' };
  // The API's bound (src/forecasting/run-forecast.ts MAX_ABS_VALUE): the models' sums overflow above it.
  if (value > 1e15) return { value: null, problem: `Too large: enter at most ${formatValue(1e15)}.` };
  return { value, problem: null };
}

function CellInput({ date, value, disabled, onCommit }: { date: string; value: number; disabled: boolean; onCommit: (value: number) => void }) {
  // A text input, not type=number: a browser's number input reads only its own format and drops
  // the rest (a German "1234,5" arrived as 12345). The text is the value as the grid shows it.
  const shown = formatValue(value);
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<string | null>(null);
  const messageId = useId();
  const committed = useRef<number | null>(null); // Enter then blur must not send the edit twice
  useEffect(() => {
    setText(shown);
    setProblem(null);
    committed.current = null;
  }, [shown]);
  const revert = () => {
    setText(shown);
    setProblem(null);
  };
  const commit = () => {
    if (text.trim() === '') {
      revert();
      return;
    }
    if (text === shown) return; // untouched: never an edit, even for a value with more decimals than shown
    const read = readCellValue(text, formatLocale());
    setProblem(read.problem);
    if (read.value === null) return;
    if (read.value !== value && read.value !== committed.current) {
      committed.current = read.value;
      onCommit(read.value);
    }
  };
  return (
    <>
      <input
        className="cell-input"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={disabled}
        data-date={date}
        aria-label={`Value on ${formatDate(date)}`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? messageId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          // The message goes as soon as the value is one the API takes; a new problem waits for Enter or leaving.
          if (problem && !readCellValue(e.target.value, formatLocale()).problem) setProblem(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
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
