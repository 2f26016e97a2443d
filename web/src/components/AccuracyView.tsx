import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { ApiError } from '../api/client.js';
import { createActionKeys } from '../api/idempotency-key.js';
import type { AccuracyResponse, ActualsAppended, Frequency } from '../api/types.js';
import { formatApiLabel, formatDate, formatDateTime, formatLocalDay } from '../format.js';
import { AccuracyGroups } from './AccuracyGroups.js';
import { AccuracyPortfolio } from './AccuracyPortfolio.js';
import { actualsNotice, readableWarning } from './actuals-notice.js';
import { ActualsCheck } from './ActualsCheck.js';
import { skuPartialPoints } from './partial-points.js';
import { ErrorDetails } from './ErrorDetails.js';
import { EncodingSelect, type Charset } from './EncodingSelect.js';
import { HeaderRowInput } from './HeaderRowInput.js';
import { MissedSkus } from './MissedSkus.js';
import { saveBlob } from './save-blob.js';
import { accuracyFileName } from './snapshot-label.js';
import { SnapshotNameForm } from './SnapshotNameForm.js';

/**
 * "How did we do": a snapshot's forecasts (by default the one shown before the latest actuals)
 * against the actuals that came after it. The portfolio tile, the SKUs that missed most, and a
 * SKU's chart with the earlier forecast drawn over what happened. New actuals are appended here
 * too. Reads only the HTTP API (GET accuracy, snapshots, forecasts?snapshot=, skus/:sku).
 */
interface AccuracyViewProps {
  datasetId: string | null;
  /** The dataset's frequency, for the chart's time axis (inferred from the dates while unknown). */
  frequency?: Frequency | null;
  onJobsSubmitted: () => void;
}

const accuracyKey = (id: string) => ['accuracy', id] as const;

/** Apply's 409 naming basedOn: the dataset changed since the check it was sent with. */
const isStaleCheck = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.body?.details?.some((d) => d.path === 'basedOn') === true;

export function AccuracyView({ datasetId, frequency, onJobsSubmitted }: AccuracyViewProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [snapshotId, setSnapshotId] = useState<number | undefined>(undefined);
  // An attribute (store, category): the figures per value of it as well.
  const [by, setBy] = useState('');
  const [sku, setSku] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The append's warnings (partial periods, SKUs the file had no line for): said, not only logged.
  const [warnings, setWarnings] = useState<string[]>([]);
  const [absentZero, setAbsentZero] = useState(false);
  const [charset, setCharset] = useState<Charset>('');
  // The header's line, as typed: its warnings (lines skipped above the header) point here.
  const [headerRow, setHeaderRow] = useState('');
  // A refusal keeps the API's details: which columns it looked for and which the file has.
  const [refusal, setRefusal] = useState<Error | null>(null);
  // A file picked is checked first (dryRun, nothing written); Apply sends it with the options it was checked with.
  // It names the dataset it was checked against: the view stays mounted when another dataset is
  // chosen, and Apply must never send one dataset's file to another (its SKUs would be added there).
  // `changed`: checked again after Apply found the dataset changed since the first check (409 naming basedOn).
  const [pending, setPending] = useState<{ datasetId: string; file: File; options: Parameters<typeof api.uploadActuals>[2]; check: ActualsAppended; changed?: boolean } | null>(null);
  const [applying, setApplying] = useState(false);
  /** The actuals upload's Idempotency-Key, kept for a second try of the same file (api/idempotency-key.ts). */
  const [actualsKeys] = useState(createActionKeys);
  useEffect(() => {
    setSnapshotId(undefined);
    setBy('');
    setSku(null);
    setPending(null);
    setNotice(null);
    setWarnings([]);
    setRefusal(null);
  }, [datasetId]);

  const snapshots = useQuery({
    queryKey: [...accuracyKey(datasetId ?? ''), 'snapshots'],
    queryFn: () => api.snapshots(datasetId!),
    enabled: datasetId !== null,
    refetchInterval: 5000,
  });
  const accuracy = useQuery({
    queryKey: [...accuracyKey(datasetId ?? ''), snapshotId ?? 'default', by],
    queryFn: () => api.accuracy(datasetId!, { snapshot: snapshotId, limit: 20, ...(by ? { by } : {}) }),
    // The same figures stay on screen while another attribute's are asked for; never another
    // dataset's or snapshot's, whose SKUs and snapshot id the chart would then ask this one for.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === (datasetId ?? '') && previousQuery.queryKey[2] === (snapshotId ?? 'default') ? previous : undefined,
    enabled: datasetId !== null,
    retry: false,
    refetchInterval: 5000,
  });
  const shownSnapshot = accuracy.data?.snapshot.id;
  const chosenSku = sku ?? accuracy.data?.items[0]?.sku ?? null;
  const series = useQuery({
    queryKey: ['series', datasetId ?? '', chosenSku ?? '', 'accuracy'],
    queryFn: () => api.skuSeries(datasetId!, chosenSku!),
    enabled: datasetId !== null && chosenSku !== null,
  });
  const earlier = useQuery({
    queryKey: [...accuracyKey(datasetId ?? ''), 'forecast', shownSnapshot ?? 0, chosenSku ?? ''],
    queryFn: () => api.snapshotForecast(datasetId!, shownSnapshot!, chosenSku!),
    enabled: datasetId !== null && chosenSku !== null && shownSnapshot !== undefined,
  });

  // Memoized: a new array each render would rebuild the chart on every 5 s poll.
  const partial = useMemo(() => (series.data ? skuPartialPoints(series.data) : []), [series.data]);

  if (!datasetId) return <p className="empty-state">Upload a dataset first.</p>;

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setRefusal(null);
    setNotice(null);
    setWarnings([]);
    setPending(null);
    const options = {
      ...(absentZero ? { absentSkus: 'zero' as const } : {}),
      ...(charset ? { charset } : {}),
      // A 0 typed is sent, and refused naming headerRow: never dropped unsaid.
      ...(/^\d+$/.test(headerRow) ? { headerRow: Number(headerRow) } : {}),
    };
    try {
      setPending({ datasetId, file, options, check: await api.uploadActuals(datasetId, file, { ...options, dryRun: true }) });
    } catch (error) {
      setRefusal(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const apply = async () => {
    if (!pending || pending.datasetId !== datasetId) return;
    // Tied to the check shown: a dataset changed since (another append, an edit) is refused (409), to be checked again.
    const options = { ...pending.options, basedOn: pending.check.datasetUpdatedAt };
    const { file } = pending;
    setApplying(true);
    setRefusal(null);
    try {
      // Apply pressed again after an answer that never came is the same append: its key replays
      // the first try's answer instead of appending twice (api/idempotency-key.ts).
      const out = await actualsKeys.send('actuals', [datasetId, file, options],
        (idempotencyKey) => api.uploadActuals(datasetId, file, options, { idempotencyKey }));
      setPending(null);
      setNotice(actualsNotice(out));
      setWarnings(out.report.warnings.map(readableWarning));
      onJobsSubmitted();
      setSnapshotId(undefined);
      void queryClient.invalidateQueries({ queryKey: accuracyKey(datasetId) });
      void queryClient.invalidateQueries({ queryKey: ['series', datasetId] });
    } catch (error) {
      if (isStaleCheck(error)) {
        // The dataset changed since the check (another append, an edit): the check shown no longer says
        // what Apply does, and its basedOn would be refused forever. The same file and options are
        // checked again, and the new check replaces it, saying why; if that fails, it is dropped.
        try {
          const check = await api.uploadActuals(datasetId, file, { ...pending.options, dryRun: true });
          setPending({ ...pending, check, changed: true });
        } catch (again) {
          setPending(null);
          setRefusal(again instanceof Error ? again : new Error(String(again)));
        }
        return;
      }
      // The check stays: Apply again (a lost answer replays its first try's key) or Cancel. Another 409
      // (a SKU other uploads kept changing, naming `file`) is a definite answer: Apply sends it anew.
      setRefusal(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setApplying(false);
    }
  };

  const download = async () => {
    // The By choice goes into the file as a column, as it groups the figures shown.
    saveBlob(await api.accuracyCsv(datasetId, shownSnapshot, by), accuracyFileName(accuracy.data?.snapshot, by));
  };

  const missing = accuracy.error instanceof ApiError && accuracy.error.status === 404;
  const a = accuracy.data;
  // The default is the newest snapshot before the latest actuals that has something to score: when
  // that is not the newest before them (the month to date alone came since), say which was passed over.
  const newestBefore = a?.actuals ? snapshots.data?.snapshots.find((s) => s.mark <= a.actuals!.markBefore) : undefined;
  const newerUnscored = snapshotId === undefined && a && newestBefore && newestBefore.id !== a.snapshot.id ? newestBefore : null;
  // Where the shown snapshot's forecasts start, as the API names it, when they differ by SKU: the period
  // most SKUs start on and how many start elsewhere (forecastStart alone, the earliest, is held back by a
  // SKU the files left out). One start is forecastStart itself: the heading shows it as a date, as before.
  const starts = a?.startsLabel && a.starts.length > 1 ? formatApiLabel(a.startsLabel) : null;
  return (
    <div className="accuracy" data-testid="accuracy-view">
      {/* The title, the snapshot and its exports on one bar that wraps; appending actuals in a panel of its own
          (all in one row the title wrapped to four lines and the page scrolled sideways at 1280 and 1024 px). */}
      <div className="portfolio-bar page-bar">
        <h2>How did we do</h2>
        <div className="toolbar" data-testid="accuracy-toolbar">
          <label>
            <span className="visually-hidden">Snapshot</span>
            <select
              className="input"
              aria-label="Snapshot"
              value={snapshotId ?? ''}
              onChange={(e) => {
                setSnapshotId(e.target.value === '' ? undefined : Number(e.target.value));
                setSku(null);
              }}
            >
              <option value="">Default (latest scorable)</option>
              {(snapshots.data?.snapshots ?? []).map((s) => (
                // An option holds text only: the ISO dates go in its tooltip.
                <option key={s.id} value={s.id} title={`forecasts from ${s.forecastStart ?? '–'}, history to ${s.historyEnd ?? '–'}`}>
                  {/* A named snapshot by its name and the day it was kept ("#3 · S&OP Dec (Dec 1, 2024)"). */}
                  #{s.id} · {s.name != null ? `${s.name} (${formatLocalDay(s.createdAt)})` : `${formatDateTime(s.createdAt)} · ${s.cause}`} · from{' '}
                  {/* The snapshot shown is read whole: its SKUs' starts are known, the others' only the earliest. */}
                  {starts && a?.snapshot.id === s.id ? starts : s.forecastStart ? formatDate(s.forecastStart) : '–'}
                </option>
              ))}
            </select>
          </label>
          {a && a.attributes.length > 0 ? (
            <label>
              By{' '}
              <select className="input" aria-label="Accuracy by" value={by} onChange={(e) => setBy(e.target.value)}>
                <option value="">SKU only</option>
                {a.attributes.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {a && datasetId ? (
            <SnapshotNameForm
              key={a.snapshot.id}
              datasetId={datasetId}
              snapshot={a.snapshot}
              onSaved={() => void queryClient.invalidateQueries({ queryKey: accuracyKey(datasetId) })}
            />
          ) : null}
          {a ? (
            <button type="button" className="btn" title={api.csvNote()} onClick={() => void download()}>
              Export accuracy.csv
            </button>
          ) : null}
        </div>
      </div>
      <section className="panel actuals-bar" aria-label="Append actuals" data-testid="actuals-bar">
        <label className="btn">
          Append actuals…
          <input type="file" accept=".csv,.tsv,.txt,text/csv" className="visually-hidden" data-testid="actuals-input" onChange={(e) => void upload(e)} disabled={applying} />
        </label>
        <label title="Exports often leave out the SKUs that sold nothing: checked, those get 0 for the file's periods after their own history">
          <input type="checkbox" checked={absentZero} onChange={(e) => { setAbsentZero(e.target.checked); setPending(null); }} data-testid="actuals-absent-zero" /> SKUs not in the file sold nothing
        </label>
        <EncodingSelect value={charset} onChange={(next) => { setCharset(next); setPending(null); }} testId="actuals-charset" />
        <HeaderRowInput
          value={headerRow}
          onChange={(next) => { setHeaderRow(next); setPending(null); }}
          placeholder="found"
          testId="actuals-header-row"
          title="The line of the column names in the next actuals file. Left empty, lines above them such as a report title are found and skipped."
        />
      </section>
      {pending && pending.datasetId === datasetId && pending.changed ? (
        <p className="banner" role="status" data-testid="actuals-check-changed">
          The dataset changed since the file was checked (another append, an edit or a settings change): it was checked again, and this is what Apply would do now.
        </p>
      ) : null}
      {pending && pending.datasetId === datasetId ? (
        <ActualsCheck check={pending.check} fileName={pending.file.name} applying={applying} onApply={() => void apply()} onCancel={() => setPending(null)} />
      ) : null}
      {notice ? (
        <p className="banner" role="status" data-testid="actuals-notice">
          {notice}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <ul className="warn" data-testid="actuals-warnings">
          {warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      ) : null}
      {refusal ? (
        <div data-testid="actuals-refused">
          <p className="banner banner-error">Actuals refused: nothing was appended.</p>
          <ErrorDetails error={refusal} encodingChoice />
        </div>
      ) : null}
      {missing ? (
        <p className="empty-state panel" data-testid="accuracy-empty">
          {accuracy.error?.message}. Once the forecasts are complete a snapshot is kept; append the next actuals to see how it did.
        </p>
      ) : null}
      {a ? (
        <>
          <AccuracyPortfolio a={a} starts={starts} newerUnscored={newerUnscored ?? null} frequency={frequency} />
          <AccuracyGroups a={a} />
          <MissedSkus a={a} chosenSku={chosenSku} onChoose={setSku} series={series.data} earlier={earlier.data} frequency={frequency} partial={partial} />
        </>
      ) : null}
    </div>
  );
}
