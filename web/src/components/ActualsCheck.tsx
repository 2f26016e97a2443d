import type { ActualsAppended } from '../api/types.js';
import { formatCount, formatCounted, formatDate } from '../format.js';
import { actualsNotice, readableWarning } from './actuals-notice.js';

/** The API's warnings the panel says in its own words (src/datasets/actuals-hints.ts). */
const changesNothingText = 'this file changes nothing';
const lookalikeWarning = /^\d+ new SKUs? looks? like/;

/**
 * The check of an actuals file before it is appended (POST .../actuals?dryRun: the same answer,
 * nothing written): what it would add and revise, the SKUs it would add by name, the rows it
 * rejected, its warnings, and Apply / Cancel. A file that only rewrites history (no new period)
 * or revises values further back than the last few periods is warned about loudly: an old
 * full-history export picked by mistake revised 706 values of 5 SKUs back to 2024 at once.
 */
export function ActualsCheck({ check, fileName, applying, onApply, onCancel }: {
  check: ActualsAppended;
  fileName: string;
  applying: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  const revised = check.revised;
  const loud = revised && revised.earliest && (revised.onlyHistory || revised.old) ? revised : null;
  const what = loud ? `${formatCounted(check.valuesRevised, 'stored value')} of ${formatCounted(loud.skus, 'SKU')}, back to ${formatDate(loud.earliest!)}` : '';
  const back = loud?.periodsBack ? ` (${formatCounted(loud.periodsBack, 'period')} before the dataset's last)` : '';
  // A file picked twice: nothing added, revised or new (Apply stays allowed; it writes nothing).
  const nothing = check.skusChanged === 0 && check.periodsAdded === 0 && check.valuesRevised === 0 && check.skusAdded === 0;
  // A new code that looks like one of the dataset's: A-1O02 (new: did you mean A-1002?).
  const like = new Map((check.newSkusLike ?? []).map((l) => [l.sku, l.like]));
  const named = (sku: string) => (like.has(sku) ? `${sku} (new: did you mean ${like.get(sku)}?)` : sku);
  // Said above in the panel's own words: not repeated in the list.
  const warnings = check.report.warnings.filter((w) => !w.startsWith(changesNothingText) && !(like.size > 0 && lookalikeWarning.test(w)));
  return (
    <section className="panel actuals-check" aria-label="Check of the actuals file" data-testid="actuals-check">
      <h3>Check of {fileName}</h3>
      {loud ? (
        <p className="banner banner-error" role="alert" data-testid="actuals-check-alarm">
          {loud.onlyHistory
            ? `This file adds no new period: it only rewrites history, ${what}${back}. Is it an old or full-history export? Apply it only if these values are meant to replace the stored ones.`
            : `This file revises ${what}${back}, further back than new actuals usually restate. Apply it only if these values are meant to replace the stored ones.`}
        </p>
      ) : null}
      {nothing ? (
        <p className="banner" data-testid="actuals-check-nothing">
          This file changes nothing: every value in it is already stored (applied before?). Applying it would write nothing.
        </p>
      ) : null}
      <p data-testid="actuals-check-summary">{actualsNotice(check, 'check')}</p>
      {check.newSkus && check.skusAdded > 0 ? (
        <p className="warn" data-testid="actuals-check-new">
          {check.skusAdded === 1 ? '1 SKU is' : `${formatCount(check.skusAdded)} SKUs are`} not in the dataset and would be added: {check.newSkus.slice(0, 10).map(named).join(', ')}
          {check.skusAdded > Math.min(10, check.newSkus.length) ? `, and ${formatCount(check.skusAdded - Math.min(10, check.newSkus.length))} more` : ''}. A mistyped code? Cancel, correct the file and pick it again.
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <ul className="warn" data-testid="actuals-check-warnings">
          {warnings.map((w) => <li key={w}>{readableWarning(w)}</li>)}
        </ul>
      ) : null}
      <p className="muted">Read with the options above as they were when the file was picked; changing one cancels this check.</p>
      <div className="toolbar">
        <button type="button" className="btn btn-primary" onClick={onApply} disabled={applying} data-testid="actuals-apply">
          {applying ? 'Applying…' : 'Apply'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={applying} data-testid="actuals-cancel">
          Cancel
        </button>
      </div>
    </section>
  );
}
