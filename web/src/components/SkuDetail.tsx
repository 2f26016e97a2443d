import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { ApiError } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { Job, SkuSeries } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { formatDate, formatNumber } from '../format.js';
import { choiceLabel, choiceWhy, shownErrorTitle } from './choice-label.js';
import { CleaningGrid } from './CleaningGrid.js';
import type { ExtraLine } from './ForecastChart.js';
import { ForecastNotes } from './ForecastNotes.js';
import { ModelComparisonTable } from './ModelComparisonTable.js';
import { skuPartialPoints } from './partial-points.js';
import { MINIMUM_HISTORY, NoForecastNote } from './NoForecastNote.js';
import { ErrorDetails } from './ErrorDetails.js';
import { LoadError } from './LoadError.js';
import { defaultView, routePath } from '../routing/app-route.js';
import { navigate } from '../routing/history-location.js';

// uPlot loads with the first chart, not with the app shell.
const ForecastChart = lazy(() => import('./ForecastChart.js').then((m) => ({ default: m.ForecastChart })));

interface SkuDetailProps {
  datasetId: string;
  sku: string;
  /** The polled queue snapshot, from ForecastPage: this SKU's open jobs show as "optimizing" (an import's) or "re-optimizing". */
  jobs: Job[];
  handlers: DataHandlers;
}

/** A model's own forecast, read from its job's result (the engine's ForecastResult). */
function lineFromResult(modelId: string, result: unknown): ExtraLine | null {
  const forecast = (result as { forecast?: { dates?: unknown; mean?: unknown } } | null)?.forecast;
  if (!forecast || !Array.isArray(forecast.dates) || !Array.isArray(forecast.mean)) return null;
  return { modelId, dates: forecast.dates as string[], mean: forecast.mean as number[] };
}

export function SkuDetail({ datasetId, sku, jobs, handlers }: SkuDetailProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<Set<string>>(new Set());
  const [focusDate, setFocusDate] = useState<string | null>(null);

  const series = useQuery({ queryKey: queryKeys.series(datasetId, sku), queryFn: () => api.skuSeries(datasetId, sku) });
  const forecasts = useQuery({ queryKey: queryKeys.forecasts(datasetId, sku), queryFn: () => api.forecasts(datasetId, { sku, limit: 1 }) });
  const dataset = useQuery({ queryKey: queryKeys.dataset(datasetId), queryFn: () => api.dataset(datasetId) });
  // The models' names, as Settings lists them, for the notes under the title (the id until they answer).
  const modelInfo = useQuery({ queryKey: queryKeys.models, queryFn: () => api.models(), staleTime: Infinity });
  const nameOf = (id: string) => modelInfo.data?.models.find((m) => m.id === id)?.name ?? id;
  const item = forecasts.data?.items.find((i) => i.sku === sku) ?? null;

  const toggledRuns = (item?.models ?? []).filter((m) => shown.has(m.modelId) && m.modelId !== item?.bestModel);
  const toggled = useQueries({
    queries: toggledRuns.map((run) => ({
      queryKey: queryKeys.job(run.jobId),
      queryFn: () => api.getJob(run.jobId),
      staleTime: Infinity,
    })),
  });
  const extraLines = useMemo(
    () =>
      toggledRuns
        .map((run, i) => lineFromResult(run.modelId, toggled[i]?.data?.result))
        .filter((l): l is ExtraLine => l !== null),
    // toggled[i].data identity changes only when a result arrives
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [toggledRuns.map((r) => r.jobId).join(','), toggled.map((t) => t.dataUpdatedAt).join(',')],
  );

  const override = useMutation({
    mutationFn: (modelId: string | null) => api.setOverride(datasetId, sku, modelId),
    // The override changes the SKU's error at once (no job runs), so the list's "err" and its
    // order by error must be asked again now: no finished job will do it.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.forecasts(datasetId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.skus(datasetId) }),
      ]),
  });

  const open = jobs.filter((j) => j.sku === sku && j.datasetId === datasetId && (j.status === 'pending' || j.status === 'running'));
  // An import's jobs are the SKU's first optimization: "Optimizing", not "Re-optimizing" (planner
  // walkthrough, finding 11). Every other reason (an edit, settings, actuals appended) runs it again.
  const firstRun = open.length > 0 && open.every((j) => j.reason === 'dataset_upload' || j.reason === 'initial_import');
  const toggle = useCallback((modelId: string) => {
    setShown((prev) => {
      const next = new Set(prev);
      if (next.has(modelId)) next.delete(modelId);
      else next.add(modelId);
      return next;
    });
  }, []);

  const partial = useMemo(() => (series.data ? skuPartialPoints(series.data) : []), [series.data]);
  // A forecast that failed with nothing cached is unknown, as one still loading is: "no forecast
  // yet" or "no model has finished" there would contradict the error above them.
  const forecastUnknown = forecasts.isPending || (forecasts.isError && !forecasts.data);
  const tooShort = series.data !== undefined && forecasts.data !== undefined && open.length === 0 && !item?.models.length && series.data.length < MINIMUM_HISTORY;

  if (series.isPending) return <div className="panel empty-state">Loading {sku}…</div>;
  if (series.isError && series.error instanceof ApiError && series.error.status === 404) {
    // An unknown SKU (an old link, a SKU renamed away): asking again gives the same answer, so no
    // Retry; a way back to the dataset's list instead, and no internal dataset id in the text.
    const back = routePath({ datasetId, view: defaultView, sku: null, queue: false });
    return (
      <div className="panel" data-testid="sku-missing">
        <p className="form-error" role="alert">
          No SKU “{sku}” in this dataset: the link may be old, or the SKU is named otherwise.
        </p>
        <a
          className="btn"
          href={back}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab or window: the browser's
            e.preventDefault();
            navigate(back);
          }}
        >
          Back to the SKU list
        </a>
      </div>
    );
  }
  if (series.isError) {
    return (
      <div className="panel">
        <LoadError what={sku} error={series.error} onRetry={() => void series.refetch()} retrying={series.isFetching} />
      </div>
    );
  }

  return (
    <section className="panel sku-detail" aria-labelledby="sku-title">
      <header className="sku-head">
        <h2 id="sku-title">{sku}</h2>
        <span className={`class-chip class-${series.data.demandClass}`}>{series.data.demandClass}</span>
        {item?.bestModel ? (
          <span className="muted">
            ★ {item.bestModel} ({choiceLabel(item)})
            {item.error !== null && dataset.data ? (
              <span title={shownErrorTitle} data-testid="shown-error">{` · ${dataset.data.settings.metric.toUpperCase()} ${formatNumber(item.error, 2)}`}</span>
            ) : null}
          </span>
        ) : null}
        {/* A planner's pick needs no sentence, unless the SKU reads as stopped: then it says why the forecast is 0. */}
        {item?.selection && (item.selectedBy !== 'override' || item.inactive) ? (
          <span className="muted selection-how" data-testid="selection-how">{item.selection.how}</span>
        ) : null}
        {open.length > 0 ? (
          <span className="reopt" role="status" data-testid="reoptimizing">
            {firstRun ? 'Optimizing' : 'Re-optimizing'}: {open.length} job{open.length === 1 ? '' : 's'} (priority {Math.min(...open.map((j) => j.priority))})
          </span>
        ) : null}
      </header>
      {item ? <ForecastNotes item={item} nameOf={nameOf} /> : null}
      {forecasts.isError ? <LoadError what="the forecast" error={forecasts.error} onRetry={() => void forecasts.refetch()} retrying={forecasts.isFetching} /> : null}
      {!item?.forecast && !forecastUnknown ? (
        <NoForecastNote length={series.data.length} openJobs={open.length} />
      ) : null}
      <Suspense fallback={<div className="chart-host empty-state">Loading the chart…</div>}>
        <ForecastChart series={series.data} forecast={item} extraLines={extraLines} onPickDate={setFocusDate} frequency={dataset.data?.frequency} partial={partial} forecastLoading={forecasts.isPending} forecastFailed={forecasts.isError && !forecasts.data} />
      </Suspense>
      <p className="legend-note muted">Click a history point to edit it in the grid below; drag across the chart to zoom into its dates; tick “show” in the table to draw another model.</p>
      <ProvisionalNote series={series.data} />
      {/* A SKU too short has no model to wait for: the note above says why. */}
      {tooShort ? null : (
        <>
          <h3>Models</h3>
          {override.isError ? <ErrorDetails error={override.error} /> : null}
          {/* Until the forecasts answer, "no model has finished" would be a guess; after they failed, the error says why there is no table. */}
          {forecasts.isPending ? (
            <p className="empty-state" data-testid="models-loading">Loading models…</p>
          ) : forecastUnknown ? null : (
            <ModelComparisonTable
              runs={item?.models ?? []}
              bestModel={item?.bestModel ?? null}
              selectedBy={item?.selectedBy ?? 'metric'}
              choice={item ? choiceLabel(item) : ''}
              choiceWhy={item ? choiceWhy(item) : null}
              shownError={item?.error ?? null}
              metric={dataset.data?.settings.metric ?? null}
              shown={shown}
              onToggle={toggle}
              onChoose={(modelId) => override.mutate(modelId)}
              busy={override.isPending}
            />
          )}
        </>
      )}
      {handlers.error ? <ErrorDetails error={handlers.error} /> : null}
      <CleaningGrid
        series={series.data}
        busy={handlers.busy}
        focusDate={focusDate}
        onEdit={(date, value) => void handlers.handleEditPoint(sku, date, value)}
        onReset={(date) => void handlers.handleResetPoint(sku, date)}
        onAcceptOutliers={(dates) => void handlers.handleAcceptOutliers(sku, dates)}
        onUndoAll={() => void handlers.handleUndoAll(sku)}
      />
    </section>
  );
}

/**
 * Periods whose value actuals summed from part of the period (the week to date): low because
 * incomplete, not because demand fell. The next actuals covering the period whole replace it.
 */
function ProvisionalNote({ series }: { series: Pick<SkuSeries, 'dates' | 'edits' | 'provisional'> }) {
  const provisional = series.provisional ?? {};
  const periods = Object.entries(provisional).sort(([a], [b]) => (a < b ? -1 : 1));
  if (periods.length === 0) return null;
  // The server's models leave out the provisional periods that end the history, unless edited
  // (src/datasets/model-history.ts): the forecast starts at the first of them.
  let start = series.dates.length;
  while (start > 0 && provisional[series.dates[start - 1]] && series.edits[String(start - 1)] === undefined) start--;
  const forecastFrom = start < series.dates.length ? series.dates[start] : null;
  return (
    <p className="legend-note muted" data-testid="provisional-note">
      Provisional: {periods.map(([date, { from, to }]) => `${formatDate(date)} (data from ${formatDate(from)} to ${formatDate(to)} only)`).join(', ')}; the next actuals that cover {periods.length === 1 ? 'that period' : 'those periods'} whole replace {periods.length === 1 ? 'it' : 'them'}.
      {forecastFrom ? ` The models train on whole periods: the forecast starts at ${formatDate(forecastFrom)}.` : ''}
    </p>
  );
}
