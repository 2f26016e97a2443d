import { useCallback, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';
import type { ColumnMapping, DatasetCreated, Frequency, UploadOptions } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { CleaningUpload } from './CleaningUpload.js';
import { EncodingSelect, notUtf8Message, type Charset } from './EncodingSelect.js';
import { HeaderRowInput } from './HeaderRowInput.js';
import { ImportReportView } from './ImportReportView.js';
import { AttributePicker, KeyPicker } from './MappingPickers.js';
import { keyInFileOrder, sentMapping, type Mapping } from './upload-mapping.js';
import { csvPreview, DRY_RUN_BYTES, dryRunReport, lookAtFile, type CsvPreview, type FileLook } from './csv-preview.js';

interface Loaded extends FileLook {
  name: string;
  file: File;
}

const frequencies: Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

/** What the planner chose on the form, sent with every check and the import ('' : detected). */
interface Choices {
  mapping: Mapping | null;
  format: 'long' | 'wide' | '';
  frequency: Frequency | '';
  weekStart: string;
  /** The header's line, 1-based, as typed ('' : the API finds it). */
  headerRow: string;
  /** An .xlsx of several sheets: the one chosen ('' : the first). */
  sheet: string;
  /** A CSV's encoding without a byte order mark ('' : UTF-8). */
  charset: Charset;
}
// Upper-casing the field's name read "DATE column" beside "SKU column".
const columnLabels = { sku: 'SKU column', date: 'Date column', quantity: 'Quantity column' } as const;

/**
 * Upload: choose or drop a CSV (UTF-8 or UTF-16) or an .xlsx, see what the API detects (a dry run
 * on the first megabyte: nothing is stored), correct the column mapping and the period, confirm.
 * The File itself is sent (multipart), never read into a string, so a 100 MB export is not held
 * twice. Or load the sample dataset in one click.
 */
export function UploadPanel({ handlers, datasetName }: { handlers: DataHandlers; datasetName: string | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dryRun, setDryRun] = useState<DatasetCreated | null>(null);
  const [dryRunError, setDryRunError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [mappingEdited, setMappingEdited] = useState(false);
  const [format, setFormat] = useState<'long' | 'wide' | ''>('');
  // '' until the dry run answers with the detected period; then the planner's choice.
  const [frequency, setFrequency] = useState<Frequency | ''>('');
  // '' until the dry run answers with the weekday its weeks start on (a weekly file of Sundays
  // starts on Sunday, a week_ending one on Monday); then the planner's choice, sent with every
  // check and the import.
  const [weekStart, setWeekStart] = useState('');
  const [name, setName] = useState('');
  const [headerRow, setHeaderRow] = useState('');
  const [sheet, setSheet] = useState('');
  // A workbook's sheets, as any answer for this file named them: a refusal of a sheet picked
  // names none, and the select must stay for picking another.
  const [bookSheets, setBookSheets] = useState<string[]>([]);
  // Kept from one file to the next: a planner's exports share their encoding.
  const [charset, setCharset] = useState<Charset>('');
  // The header row as the API read it (its parser knows quoting and delimiters best).
  const [serverColumns, setServerColumns] = useState<string[] | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // The header row in the file's order, for a composite key's order: the browser's read, then the API's.
  const header = useRef<string[]>([]);

  const check = useCallback(
    async (target: Loaded, opts: Partial<Choices>) => {
      setChecking(true);
      setDryRunError(null);
      const sentWeekStart = opts.frequency === 'weekly' ? opts.weekStart || undefined : undefined;
      try {
        const result = await handlers.previewUpload(target.sample, {
          mapping: sentMapping(opts.mapping, header.current, opts.format), format: opts.format || undefined, frequency: opts.frequency || undefined,
          weekStart: sentWeekStart, headerRow: headerRowOf(opts.headerRow), sheet: opts.sheet || undefined,
          charset: target.kind === 'csv' ? opts.charset || undefined : undefined,
        }, target.name);
        setDryRun(result);
        if (result.report.sheets?.length) setBookSheets(result.report.sheets);
        if (!opts.frequency) setFrequency(result.report.detectedFrequency ?? result.report.frequency ?? '');
        if (!sentWeekStart && result.report.weekStart) setWeekStart(result.report.weekStart);
        if (result.columns?.length) {
          setServerColumns(result.columns);
          header.current = result.columns;
        }
        if (!opts.mapping && result.mapping?.sku) {
          setMapping((m) => ({ ...(m ?? { sku: '', date: '', quantity: '' }), ...(result.mapping as Partial<ColumnMapping>) }));
        }
        if (!opts.format && result.report?.format) setFormat(result.report.format);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setDryRunError(apiError);
        const named = apiError.body?.sheets ?? apiError.body?.report?.sheets;
        if (named?.length) setBookSheets(named);
        if (apiError.body?.columns?.length) {
          setServerColumns(apiError.body.columns);
          header.current = apiError.body.columns;
        }
        setDryRun(apiError.body?.report ? { datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, report: apiError.body.report } : null);
      } finally {
        setChecking(false);
      }
    },
    [handlers],
  );

  const readFile = useCallback(
    async (file: File) => {
      const look = await lookAtFile(file, charset || undefined);
      const base = file.name.replace(/\.[^.]+$/, '');
      const next: Loaded = { ...look, name: file.name, file };
      header.current = look.preview?.columns ?? [];
      setLoaded(next);
      setName(base);
      // The guess is only shown; the API detects the mapping itself until the planner changes it.
      setMapping(look.preview?.guess ?? null);
      setMappingEdited(false);
      setFormat('');
      setFrequency('');
      setWeekStart('');
      setHeaderRow('');
      setSheet('');
      setBookSheets([]);
      setDryRun(null);
      setServerColumns(null);
      await check(next, { charset });
    },
    [check, charset],
  );

  const options = (over: Partial<Choices> = {}): Choices => ({
    mapping: mappingEdited ? mapping : null, format, frequency, weekStart, headerRow, sheet, charset, ...over,
  });

  const changeMapping = (next: Mapping) => {
    setMapping(next);
    setMappingEdited(true);
    // Another date column may fall on another weekday: the check detects its week start again.
    const dateChanged = next.date !== mapping?.date;
    if (dateChanged) setWeekStart('');
    if (loaded) void check(loaded, options({ mapping: next, ...(dateChanged ? { weekStart: '' } : {}) }));
  };

  const changeCharset = async (next: Charset) => {
    setCharset(next);
    if (!loaded) return;
    // The preview is decoded again, as the API will read the file.
    const again: Loaded = { ...loaded, ...(await lookAtFile(loaded.file, next || undefined)) };
    setLoaded(again);
    await check(again, options({ charset: next }));
  };

  const report = dryRun?.report ?? null;
  // Below a report title the browser's guess started at the title: shown again from the header
  // the dry run found (or the planner gave), split by the delimiter it used.
  const preview = useMemo(() => {
    if (!loaded?.previewText || !report?.headerRow) return loaded?.preview ?? null;
    return csvPreview(loaded.previewText, 6, { headerRow: report.headerRow, delimiter: report.delimiter });
  }, [loaded, report]);
  // A workbook of several sheets: the dry run names them (its refusal of the first sheet too).
  const sheets = bookSheets;
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
        <p className="hint">
          CSV (UTF-8 or UTF-16; Windows-1252, German or French Excel's "CSV", under Encoding) or Excel .xlsx. Long format (sku, date, quantity per row, order lines with timestamps too) or wide (one
          column per date).
        </p>
        <input
          ref={inputRef}
          type="file"
          accept=".csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="visually-hidden"
          aria-label="CSV file"
          // the button that opens it is the one tab stop: focus on a hidden input shows nowhere
          tabIndex={-1}
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
            {loaded.name} <small>{formatBytes(loaded.file.size)}{loaded.kind === 'xlsx' ? ', Excel workbook' : ''}</small>
          </h2>
          {loaded.partial ? (
            <p className="muted" data-testid="dry-run-partial">
              Checked the first {formatBytes(DRY_RUN_BYTES)}; the whole file is read on import.
            </p>
          ) : null}
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
                  void check(loaded, options({ format: next }));
                }}
              >
                <option value="long">long (a row per sku and date)</option>
                <option value="wide">wide (a column per date)</option>
              </select>
            </label>
            <label>
              Period
              <select
                className="input"
                value={frequency}
                data-testid="frequency"
                onChange={(e) => {
                  const next = e.target.value as Frequency;
                  setFrequency(next);
                  void check(loaded, options({ frequency: next }));
                }}
              >
                <option value="" disabled>
                  detecting…
                </option>
                {frequencies.map((f) => (
                  <option key={f} value={f}>
                    {f}
                    {f === report?.detectedFrequency ? ' (detected)' : ''}
                  </option>
                ))}
              </select>
            </label>
            {frequency === 'weekly' ? (
              <label>
                Weeks start on
                <select
                  className="input"
                  value={weekStart}
                  onChange={(e) => {
                    setWeekStart(e.target.value);
                    void check(loaded, options({ weekStart: e.target.value }));
                  }}
                >
                  <option value="" disabled>
                    detecting…
                  </option>
                  {['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {loaded.kind === 'csv' ? <EncodingSelect value={charset} onChange={(next) => void changeCharset(next)} testId="charset" /> : null}
            {sheets.length > 1 ? (
              <label>
                Sheet
                <select
                  className="input"
                  value={sheet || report?.sheet || sheets[0]}
                  data-testid="sheet"
                  onChange={(e) => {
                    setSheet(e.target.value);
                    // Another sheet has its own columns: detected again, not the last sheet's.
                    setMapping(null);
                    setMappingEdited(false);
                    setFormat('');
                    void check(loaded, options({ sheet: e.target.value, mapping: null, format: '' }));
                  }}
                >
                  {sheets.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <HeaderRowInput
              value={headerRow}
              onChange={setHeaderRow}
              onBlur={(value) => {
                if (value === '' || /^\d+$/.test(value)) void check(loaded, options({ headerRow: value }));
              }}
              placeholder={String(report?.headerRow ?? 1)}
              testId="header-row"
              title="The line of the column names. Left empty, lines above them such as a report title are found and skipped."
            />
            {(['sku', 'date', 'quantity'] as const).map((field) =>
              format === 'wide' && field !== 'sku' ? null : (
                <label key={field}>
                  {columnLabels[field]}
                  <select
                    className="input"
                    value={mapping?.[field] ?? ''}
                    onChange={(e) => changeMapping({ ...(mapping ?? { sku: '', date: '', quantity: '' }), [field]: e.target.value })}
                  >
                    <option value="" disabled>
                      choose…
                    </option>
                    {(serverColumns ?? loaded.preview?.columns ?? []).map((column) => (
                      <option key={column} value={column}>
                        {column}
                      </option>
                    ))}
                  </select>
                </label>
              ),
            )}
          </div>
          {format !== 'wide' && mapping?.sku ? (
            <KeyPicker
              columns={(serverColumns ?? loaded.preview?.columns ?? []).filter((c) => c !== mapping.sku && c !== mapping.date && c !== mapping.quantity)}
              parts={keyInFileOrder(mapping.sku, mapping.keyParts ?? [], serverColumns ?? loaded.preview?.columns ?? [])}
              // Days summed into the weeks asked for are no sign of a missing key part; two lines on one
              // day are (sameDayLines: present exactly when days were summed into a coarser period).
              summed={report ? report.sameDayLines ?? report.duplicates : 0}
              chosen={mapping.keyParts ?? []}
              onChange={(keyParts) =>
                changeMapping({ ...mapping, keyParts, attributes: (mapping.attributes ?? []).filter((c) => !keyParts.includes(c)) })
              }
            />
          ) : null}
          {format !== 'wide' ? (
            <AttributePicker
              columns={(serverColumns ?? loaded.preview?.columns ?? []).filter(
                (c) => c !== mapping?.sku && c !== mapping?.date && c !== mapping?.quantity && !mapping?.keyParts?.includes(c),
              )}
              chosen={mapping?.attributes ?? []}
              onChange={(attributes) => changeMapping({ ...(mapping ?? { sku: '', date: '', quantity: '' }), attributes })}
            />
          ) : null}
          {preview ? <PreviewTable preview={preview} /> : null}
          {checking ? <p className="muted">Checking the file…</p> : null}
          {dryRunError ? <ErrorDetails error={dryRunError} encodingChoice={loaded.kind === 'csv'} /> : null}
          {report ? <ImportReportView report={dryRunReport(report, loaded.partial)} /> : null}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!usable || handlers.busy || checking}
              data-testid="confirm-upload"
              onClick={() =>
                void handlers.handleDataUpload(loaded.file, uploadOptions(name || loaded.name, options(), header.current, loaded.kind), loaded.name)
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
      {handlers.error ? <ErrorDetails error={handlers.error} encodingChoice={loaded?.kind === 'csv'} /> : null}
      {datasetName && !loaded ? <CleaningUpload handlers={handlers} datasetName={datasetName} /> : null}
    </section>
  );
}

function uploadOptions(name: string, o: Choices, columns: string[], kind: Loaded['kind']): UploadOptions {
  return {
    name,
    mapping: sentMapping(o.mapping, columns, o.format),
    format: o.format || undefined,
    frequency: o.frequency || undefined,
    weekStart: o.frequency === 'weekly' ? o.weekStart || undefined : undefined,
    headerRow: headerRowOf(o.headerRow),
    sheet: o.sheet || undefined,
    // A workbook has no text encoding: sent for a CSV only, as the checks do.
    charset: kind === 'csv' ? o.charset || undefined : undefined,
  };
}

/**
 * The typed header line as sent: a whole number, else none (the API finds it). A 0 is sent too:
 * the API refuses it naming headerRow, where dropped it would read as the field left empty.
 */
function headerRowOf(typed: string | undefined): number | undefined {
  return typed && /^\d+$/.test(typed) ? Number(typed) : undefined;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
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

/** `encodingChoice`: the page offers the Encoding select, so a not-UTF-8 refusal points to it. */
export function ErrorDetails({ error, encodingChoice = false }: { error: Error; encodingChoice?: boolean }) {
  const details = error instanceof ApiError ? (error.body?.details ?? []) : [];
  return (
    <div className="form-error" role="alert">
      <strong>{(encodingChoice ? notUtf8Message(error) : null) ?? error.message}</strong>
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
