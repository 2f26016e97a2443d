import { useCallback, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';
import type { ColumnMapping, DatasetCreated, Frequency } from '../api/types.js';
import { formatBytes } from '../format.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { CleaningUpload } from './CleaningUpload.js';
import { ColumnSelects } from './ColumnSelects.js';
import { EncodingSelect, type Charset } from './EncodingSelect.js';
import { ErrorDetails } from './ErrorDetails.js';
import { FileDropzone } from './FileDropzone.js';
import { HeaderRowInput } from './HeaderRowInput.js';
import { ImportReportView } from './ImportReportView.js';
import { AttributePicker, KeyPicker } from './MappingPickers.js';
import { PreviewTable } from './PreviewTable.js';
import { keyInFileOrder, sentMapping, type Mapping } from './upload-mapping.js';
import { headerRowOf, uploadOptions, type Choices } from './upload-options.js';
import { csvPreview, DRY_RUN_BYTES, dryRunReport, lookAtFile, type FileLook } from './csv-preview.js';

interface Loaded extends FileLook {
  name: string;
  file: File;
}

const frequencies: Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

/**
 * Upload: choose or drop a CSV (UTF-8 or UTF-16) or an .xlsx, see what the API detects (a dry run
 * on the first megabyte: nothing is stored), correct the column mapping and the period, confirm.
 * The File itself is sent (multipart), never read into a string, so a 100 MB export is not held
 * twice. Or load the sample dataset in one click.
 */
export function UploadPanel({ handlers, datasetName }: { handlers: DataHandlers; datasetName: string | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
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
      <FileDropzone onFile={(file) => void readFile(file)} />

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
          {/* A file that is not text (a PNG): the API's refusal alone, no mapping form or preview of its bytes. */}
          {loaded.binary ? null : (
            <>
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
                <ColumnSelects format={format} mapping={mapping} columns={serverColumns ?? loaded.preview?.columns ?? []} onChange={changeMapping} />
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
            </>
          )}
          {checking ? <p className="muted">Checking the file…</p> : null}
          {dryRunError ? <ErrorDetails error={dryRunError} encodingChoice={loaded.kind === 'csv' && !loaded.binary} /> : null}
          {report && !loaded.binary ? <ImportReportView report={dryRunReport(report, loaded.partial)} /> : null}
          <div className="form-actions">
            {loaded.binary ? null : (
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
            )}
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
