import type { CsvPreview } from './csv-preview.js';

/** The first rows of a file being uploaded, as read in the browser: up to 12 columns. */
export function PreviewTable({ preview }: { preview: CsvPreview }) {
  if (preview.columns.length === 0) return null;
  const columns = preview.columns.slice(0, 12);
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="First rows of the file">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            {preview.columns.length > columns.length ? <th>… {preview.columns.length - columns.length} more</th> : null}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i}>
              {columns.map((_, j) => (
                <td key={j}>{row[j] ?? ''}</td>
              ))}
              {preview.columns.length > columns.length ? <td /> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
