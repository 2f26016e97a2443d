import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { ApiError } from '../api/client.js';
import { formatNumber } from '../api/format.js';
import type { AccuracyFigures, AccuracyResponse, Frequency } from '../api/types.js';
import { formatApiLabel, formatCount, formatCounted, formatDate, formatDateTime, formatDayRange } from '../format.js';
import { actualsNotice, readableWarning } from './actuals-notice.js';
import { DataDate } from './DataDate.js';
import { partialDays, periodNoun, skuPartialPoints } from './partial-points.js';
import { ErrorDetails } from './UploadPanel.js';
import { EncodingSelect, type Charset } from './EncodingSelect.js';
import { HeaderRowInput } from './HeaderRowInput.js';
import { saveBlob } from './save-blob.js';

// Loaded on demand: uPlot is the app's heaviest module (and needs a real browser).
const ForecastChart = lazy(() => import('./ForecastChart.js').then((m) => ({ default: m.ForecastChart })));

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

const pct = (v: number | null) => (v === null ? '–' : `${formatNumber(v, 1)}%`);
const accuracyKey = (id: string) => ['accuracy', id] as const;

function Figures({ f }: { f: AccuracyFigures }) {
  return (
    <>
      <div>
        <dt>WAPE</dt>
        <dd data-testid="accuracy-wape">{pct(f.wape)}</dd>
      </div>
      <div>
        <dt>Bias</dt>
        <dd>{pct(f.bias)}</dd>
      </div>
      <div>
        <dt>MAE</dt>
        <dd>{formatNumber(f.mae, 1)}</dd>
      </div>
      <div>
        <dt>In 80% / 95% band</dt>
        <dd>
          {pct(f.coverage80)} / {pct(f.coverage95)}
        </dd>
      </div>
      <div>
        <dt>Points</dt>
        <dd>{f.points}</dd>
      </div>
    </>
  );
}

const periodNouns: Partial<Record<Frequency, string>> = { weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' };

/** " (the week to date)": what part of a period means in this dataset; nothing for days, which have no part. */
function toDate(frequency: Frequency | null | undefined): string {
  const period = frequency ? periodNouns[frequency] : undefined;
  return period ? ` (the ${period} to date)` : '';
}

/**
 * Why a snapshot has nothing to score when the actuals since it are days to date: "the only new
 * actuals are Dec 1 – 5, a month not finished yet (5 of 31 days, 4 SKUs)". Null when the API
 * named no such period.
 */
function provisionalReason(provisional: AccuracyResponse['provisional'] | undefined): string | null {
  if (!provisional || provisional.length === 0) return null;
  const noun = periodNoun(provisional[0].periodDays);
  const spans = provisional.map((p) => `${formatDayRange(p.from, p.to)}, a ${noun} not finished yet (${partialDays(p.from, p.to, p.periodDays)}, ${formatCounted(p.skus, 'SKU')})`);
  return `Nothing to score yet: the only new actuals are ${spans.join('; ')}. This snapshot's forecast of ${provisional.length === 1 ? `that ${noun}` : `those ${noun}s`} is scored once a file covers ${provisional.length === 1 ? 'it' : 'them'} whole.`;
}

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
  useEffect(() => {
    setSnapshotId(undefined);
    setBy('');
    setSku(null);
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
    try {
      const out = await api.uploadActuals(datasetId, file, {
        ...(absentZero ? { absentSkus: 'zero' as const } : {}),
        ...(charset ? { charset } : {}),
        // A 0 typed is sent, and refused naming headerRow: never dropped unsaid.
        ...(/^\d+$/.test(headerRow) ? { headerRow: Number(headerRow) } : {}),
      });
      setNotice(actualsNotice(out));
      setWarnings(out.report.warnings.map(readableWarning));
      onJobsSubmitted();
      setSnapshotId(undefined);
      void queryClient.invalidateQueries({ queryKey: accuracyKey(datasetId) });
      void queryClient.invalidateQueries({ queryKey: ['series', datasetId] });
    } catch (error) {
      setRefusal(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const download = async () => {
    // The By choice goes into the file as a column, as it groups the figures shown.
    saveBlob(await api.accuracyCsv(datasetId, shownSnapshot, by), `accuracy-${shownSnapshot ?? 'latest'}${by ? `-by-${by}` : ''}.csv`);
  };

  const missing = accuracy.error instanceof ApiError && accuracy.error.status === 404;
  const a = accuracy.data;
  const chosenItem = a?.items.find((i) => i.sku === chosenSku);
  // The default is the newest snapshot before the latest actuals that has something to score: when
  // that is not the newest before them (the month to date alone came since), say which was passed over.
  const newestBefore = a?.actuals ? snapshots.data?.snapshots.find((s) => s.mark <= a.actuals!.markBefore) : undefined;
  const newerUnscored = snapshotId === undefined && a && newestBefore && newestBefore.id !== a.snapshot.id ? newestBefore : null;
  // Where the shown snapshot's forecasts start, as the API names it: the period most SKUs start on and
  // how many start elsewhere. Its forecastStart alone, the earliest, is held back by a SKU the files left out.
  const starts = a?.startsLabel ? formatApiLabel(a.startsLabel) : null;
  return (
    <div className="accuracy" data-testid="accuracy-view">
      <div className="portfolio-bar">
        <h2>How did we do</h2>
        <label className="btn">
          Append actuals…
          <input type="file" accept=".csv,.tsv,.txt,text/csv" className="visually-hidden" data-testid="actuals-input" onChange={(e) => void upload(e)} />
        </label>
        <label title="Exports often leave out the SKUs that sold nothing: checked, those get 0 for the file's periods after their own history">
          <input type="checkbox" checked={absentZero} onChange={(e) => setAbsentZero(e.target.checked)} data-testid="actuals-absent-zero" /> SKUs not in the file sold nothing
        </label>
        <EncodingSelect value={charset} onChange={setCharset} testId="actuals-charset" />
        <HeaderRowInput
          value={headerRow}
          onChange={setHeaderRow}
          placeholder="found"
          testId="actuals-header-row"
          title="The line of the column names in the next actuals file. Left empty, lines above them such as a report title are found and skipped."
        />
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
                #{s.id} · {formatDateTime(s.createdAt)} · {s.cause} · from{' '}
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
        {a ? (
          <button type="button" className="btn btn-ghost" onClick={() => void download()}>
            accuracy.csv
          </button>
        ) : null}
      </div>
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
          <section className="panel" data-testid="accuracy-portfolio" data-wape={a.portfolio.wape ?? ''} data-points={a.portfolio.points}>
            <h3>
              Portfolio: snapshot #{a.snapshot.id} ({a.snapshot.cause}, forecasts from{' '}
              {starts ? (
                <span data-testid="accuracy-starts" title={a.startsLabel ?? undefined}>
                  {starts}
                </span>
              ) : (
                <DataDate iso={a.snapshot.forecastStart} />
              )}
              ) against the actuals since
            </h3>
            {newerUnscored ? (
              <p className="muted" data-testid="accuracy-default-note">
                Shown: the newest snapshot with whole periods of actuals to score. The newer #{newerUnscored.id} (forecasts from{' '}
                {newerUnscored.forecastStart ? formatDate(newerUnscored.forecastStart) : '–'}) has none yet; pick it above to see why.
              </p>
            ) : null}
            {a.portfolio.points === 0 ? (
              <p data-testid="accuracy-no-points">
                {/* Before any actuals came after this snapshot there is no partial period to speak of. */}
                {a.actuals && a.snapshot.mark <= a.actuals.markBefore
                  ? provisionalReason(a.provisional) ?? `No whole period of actuals yet for the periods this snapshot forecast: actuals that cover only part of a period${toDate(frequency)} are scored once a file covers all of it.`
                  : 'No actuals appended since this snapshot yet: append the next actuals to see how its forecasts did.'}
              </p>
            ) : null}
            <dl className="stats stats-inline">
              <Figures f={a.portfolio} />
              <div title="The summed forecast against the summed actuals, period by period: one SKU's miss offsets another's">
                <dt>WAPE of the total</dt>
                <dd data-testid="accuracy-summed-wape">{pct(a.summed.wape)}</dd>
              </div>
            </dl>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>WAPE</th>
                  <th>Bias</th>
                  <th>MAE</th>
                  <th>80%</th>
                  <th>95%</th>
                  <th>Points</th>
                </tr>
              </thead>
              <tbody>
                {a.byStep.map((s) => (
                  <tr key={s.step}>
                    <td>{s.step}</td>
                    <td>{pct(s.wape)}</td>
                    <td>{pct(s.bias)}</td>
                    <td>{formatNumber(s.mae, 1)}</td>
                    <td>{pct(s.coverage80)}</td>
                    <td>{pct(s.coverage95)}</td>
                    <td>{s.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {a.by && a.groups.length > 0 ? (
            <section className="panel" data-testid="accuracy-groups">
              <h3>By {a.by}</h3>
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th>{a.by}</th>
                    <th>SKUs</th>
                    <th title="Its SKUs' misses pooled: 100 Σ|a − f| / Σ|a|">WAPE</th>
                    <th>Bias</th>
                    <th>80%</th>
                    <th>95%</th>
                    <th title={`The ${a.by}'s summed forecast against its summed actuals, period by period`}>WAPE of the total</th>
                    <th>Bias of the total</th>
                  </tr>
                </thead>
                <tbody>
                  {a.groups.map((g) => (
                    <tr key={g.value ?? ''} data-testid="accuracy-group" data-value={g.value ?? ''}>
                      <td>{g.value ?? '(none)'}</td>
                      <td>{g.skus}</td>
                      <td>{pct(g.wape)}</td>
                      <td>{pct(g.bias)}</td>
                      <td>{pct(g.coverage80)}</td>
                      <td>{pct(g.coverage95)}</td>
                      <td>{pct(g.summed.wape)}</td>
                      <td>{pct(g.summed.bias)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          {/* No SKU has an actual for these periods yet: no list to choose from, no chart to wait for. */}
          {a.items.length === 0 ? null : (
            <div className="split">
              <section className="panel">
                {/* The API sends the first 20 of them: the count says so (the whole list is in accuracy.csv). */}
                {/* Sorted by the units missed (Σ|a − f|), which the rows show first: by WAPE alone the list looked unsorted.
                    A decimal below 10: a slow mover's 0.4 read "missed 0" while ranked by it. */}
                <h3 data-testid="missed-heading" title="Sorted by units missed: the sum of |actual − forecast| over the periods scored">
                  SKUs that missed most ({a.items.length < a.total ? `${formatCount(a.items.length)} of ${formatCount(a.total)}` : formatCount(a.total)}), by units missed
                </h3>
                <ol className="missed-list">
                  {a.items.map((i) => (
                    <li key={i.sku}>
                      <button
                        type="button"
                        className={`btn btn-ghost${i.sku === chosenSku ? ' tab-active' : ''}`}
                        data-testid="missed-sku"
                        data-sku={i.sku}
                        onClick={() => setSku(i.sku)}
                      >
                        {/* The figures before the model: a combination's name is long, and cut there it hid them. */}
                        <span className="missed-head">
                          <strong>{i.sku}</strong> <span data-testid="missed-figures">missed {formatNumber(i.absError, i.absError < 10 ? 1 : 0)} · WAPE {pct(i.wape)} · bias {pct(i.bias)}</span>
                        </span>
                        <small className="missed-model muted" title={i.model ?? undefined}>
                          {i.model ?? '–'}
                        </small>
                      </button>
                    </li>
                  ))}
                </ol>
              </section>
              <section className="panel" data-testid="accuracy-chart" data-sku={chosenSku ?? ''}>
                <h3>
                  {chosenSku ?? '–'}: the forecast of snapshot #{a.snapshot.id} over the actuals
                  {chosenItem ? ` (WAPE ${pct(chosenItem.wape)})` : ''}
                </h3>
                {series.data && earlier.data ? (
                  <Suspense fallback={<p>Loading chart…</p>}><ForecastChart series={series.data} forecast={earlier.data.items[0] ?? null} extraLines={[]} frequency={frequency} partial={partial} /></Suspense>
                ) : (
                  <p>Loading…</p>
                )}
              </section>
            </div>
          )}
        </>
      ) : null}
    </div>
  );
}
