import type { ImportReport } from '../api/types.js';
import { formatCount, formatCounted } from '../format.js';
import { DataDate } from './DataDate.js';
import { inPlannerWords } from './planner-words.js';

/** The API's validation report of an upload: what was read, what was refused and why. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const problems = report.rejectedCount + report.tooShort.length + report.gaps.length;
  return (
    <div className="import-report" data-testid="import-report">
      <dl className="stats">
        <div>
          <dt>Detected format</dt>
          <dd data-testid="detected-format">{report.format}</dd>
        </div>
        <div>
          <dt>Frequency</dt>
          <dd>{report.frequency ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>SKUs</dt>
          <dd>{formatCount(report.skus)}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>{formatCount(report.rows)}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd data-testid="import-date-range">
            {report.dateRange ? (
              <>
                <DataDate iso={report.dateRange.start} /> → <DataDate iso={report.dateRange.end} />
              </>
            ) : (
              '–'
            )}
          </dd>
        </div>
        <div>
          <dt>Rejected rows</dt>
          <dd className={report.rejectedCount > 0 ? 'warn' : ''}>{formatCount(report.rejectedCount)}</dd>
        </div>
        <div>
          <dt>Lines summed</dt>
          <dd data-testid="lines-summed">{formatCount(report.duplicates)}</dd>
        </div>
        {report.setAsideCount ? (
          <div>
            <dt>Set aside (not data)</dt>
            <dd data-testid="set-aside">{formatCount(report.setAsideCount)}</dd>
          </div>
        ) : null}
      </dl>
      {problems === 0 && report.warnings.length === 0 ? <p className="ok">No problems found.</p> : null}
      {report.warnings.length > 0 ? (
        <ul className="warnings">
          {report.warnings.map((w, i) => (
            <li key={i}>{inPlannerWords(w)}</li>
          ))}
        </ul>
      ) : null}
      {report.rejectedReasons && report.rejectedReasons.length > 0 ? (
        <ul className="warnings" data-testid="rejected-reasons">
          {report.rejectedReasons.map((g) => (
            <li key={g.reason}>
              {formatCount(g.count)} × {g.reason}, e.g. {g.example} (line{g.lines.length === 1 ? '' : 's'} {g.lines.join(', ')}
              {g.count > g.lines.length ? ', …' : ''})
            </li>
          ))}
        </ul>
      ) : null}
      {report.rejected.length > 0 ? (
        <details>
          <summary>
            {formatCounted(report.rejectedCount, 'rejected row')}
          </summary>
          <ul>
            {report.rejected.slice(0, 50).map((r) => (
              <li key={r.line}>
                line {r.line}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.tooShort.length > 0 ? (
        <details>
          <summary>
            {formatCounted(report.tooShort.length, 'SKU')} too short to forecast
          </summary>
          <ul>
            {report.tooShort.slice(0, 50).map((t) => (
              <li key={t.sku}>
                {t.sku}: {t.length} points, {t.needed} needed
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.gaps.length > 0 ? (
        <details>
          <summary>
            {formatCounted(report.gaps.length, 'SKU')} with missing periods
          </summary>
          <ul>
            {report.gaps.slice(0, 50).map((g) => (
              <li key={g.sku}>
                {g.sku}: {g.missing} missing
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
