import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';
import type { ColumnMapping, DatasetCreated } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { CleaningUpload } from './CleaningUpload.js';
import { ImportReportView } from './ImportReportView.js';
import { csvPreview, type CsvPreview } from './csv-preview.js';

interface Loaded {
  name: string;
  csv: string;
  preview: CsvPreview;
}

/**
 * Upload: choose or drop a CSV, see what the API detects (dry run: nothing is stored), correct the
 * column mapping, confirm. Or load the sample dataset in one click.
 */
export function UploadPanel({ handlers, datasetName }: { handlers: DataHandlers; datasetName: string | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dryRun, setDryRun] = useState<DatasetCreated | null>(null);
  const [dryRunError, setDryRunError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [mappingEdited, setMappingEdited] = useState(false);
  const [format, setFormat] = useState<'long' | 'wide' | ''>('');
  const [name, setName] = useState('');
  // The header row as the API read it (its parser knows quoting and delimiters best).
  const [serverColumns, setServerColumns] = useState<string[] | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const check = useCallback(
    async (csv: string, opts: { mapping?: ColumnMapping | null; format?: 'long' | 'wide' | '' }) => {
      setChecking(true);
      setDryRunError(null);
      try {
        const result = await handlers.previewUpload(csv, { mapping: opts.mapping ?? undefined, format: opts.format || undefined });
        setDryRun(result);
        if (result.columns?.length) setServerColumns(result.columns);
        if (!opts.mapping && result.mapping?.sku) {
          setMapping((m) => ({ ...(m ?? { sku: '', date: '', quantity: '' }), ...(result.mapping as Partial<ColumnMapping>) }));
        }
        if (!opts.format && result.report?.format) setFormat(result.report.format);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setDryRunError(apiError);
        if (apiError.body?.columns?.length) setServerColumns(apiError.body.columns);
        setDryRun(apiError.body?.report ? { datasetId: null, jobsCreated: 0, report: apiError.body.report } : null);
      } finally {
        setChecking(false);
      }
    },
    [handlers],
  );

  const readFile = useCallback(
    async (file: File) => {
      const csv = await file.text();
      const preview = csvPreview(csv);
      const base = file.name.replace(/\.[^.]+$/, '');
      setLoaded({ name: file.name, csv, preview });
      setName(base);
      // The guess is only shown; the API detects the mapping itself until the planner changes it.
      setMapping(preview.guess);
      setMappingEdited(false);
      setFormat('');
      setDryRun(null);
      setServerColumns(null);
      await check(csv, {});
    },
    [check],
  );

  const changeMapping = (next: ColumnMapping) => {
    setMapping(next);
    setMappingEdited(true);
    if (loaded) void check(loaded.csv, { mapping: next, format });
  };

  const report = dryRun?.report ?? null;
  const usable = report !== null && report.skus > 0 && !dryRunError;

  return (
    <section className="upload" aria-labelledby="upload-title">
      <div className="page-head">
        <h1 id="upload-title">Upload sales history</h1>
        <button type="button" className="btn" onClick={() => void handlers.handleLoadSample()} disabled={handlers.busy} data-testid="load-sample">
          Load sample dataset
        </button>
      </div>
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) void readFile(file);
        }}
      >
        <p>
          <strong>Drop a CSV here</strong> or{' '}
          <button type="button" className="btn btn-primary" onClick={() => inputRef.current?.click()}>
            choose a file
          </button>
        </p>
        <p className="hint">Long format (sku, date, quantity per row) or wide (one column per date). Dates as yyyy-mm-dd or a format you name.</p>
        <input
          ref={inputRef}
          type="file"
          accept=".csv,text/csv,text/plain"
          className="visually-hidden"
          aria-label="CSV file"
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void readFile(file);
            e.target.value = '';
          }}
        />
      </div>

      {loaded ? (
        <div className="card upload-preview">
          <h2>
            {loaded.name} <small>{loaded.preview.rowCount.toLocaleString()} rows</small>
          </h2>
          <div className="form-row">
            <label>
              Name
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Format
              <select
                className="input"
                value={format}
                onChange={(e) => {
                  const next = e.target.value as 'long' | 'wide';
                  setFormat(next);
                  void check(loaded.csv, { mapping: mappingEdited ? mapping : null, format: next });
                }}
              >
                <option value="long">long (a row per sku and date)</option>
                <option value="wide">wide (a column per date)</option>
              </select>
            </label>
            {(['sku', 'date', 'quantity'] as const).map((field) =>
              format === 'wide' && field !== 'sku' ? null : (
                <label key={field}>
                  {field === 'quantity' ? 'Quantity column' : `${field.toUpperCase()} column`}
                  <select
                    className="input"
                    value={mapping?.[field] ?? ''}
                    onChange={(e) => changeMapping({ ...(mapping ?? { sku: '', date: '', quantity: '' }), [field]: e.target.value })}
                  >
                    <option value="" disabled>
                      choose…
                    </option>
                    {(serverColumns ?? loaded.preview.columns).map((column) => (
                      <option key={column} value={column}>
                        {column}
                      </option>
                    ))}
                  </select>
                </label>
              ),
            )}
          </div>
          <PreviewTable preview={loaded.preview} />
          {checking ? <p className="muted">Checking the file…</p> : null}
          {dryRunError ? <ErrorDetails error={dryRunError} /> : null}
          {report ? <ImportReportView report={report} /> : null}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!usable || handlers.busy || checking}
              data-testid="confirm-upload"
              onClick={() =>
                void handlers.handleDataUpload(loaded.csv, {
                  name: name || loaded.name,
                  mapping: mappingEdited && mapping ? mapping : undefined,
                  format: format || undefined,
                })
              }
            >
              {handlers.busy ? 'Importing…' : 'Import and optimize'}
            </button>
            <button type="button" className="btn" onClick={() => setLoaded(null)}>
              Discard
            </button>
          </div>
        </div>
      ) : null}
      {handlers.error ? <ErrorDetails error={handlers.error} /> : null}
      {datasetName && !loaded ? <CleaningUpload handlers={handlers} datasetName={datasetName} /> : null}
    </section>
  );
}

function PreviewTable({ preview }: { preview: CsvPreview }) {
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

export function ErrorDetails({ error }: { error: Error }) {
  const details = error instanceof ApiError ? (error.body?.details ?? []) : [];
  return (
    <div className="form-error" role="alert">
      <strong>{error.message}</strong>
      {details.length > 0 ? (
        <ul>
          {details.slice(0, 8).map((d, i) => (
            <li key={i}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
