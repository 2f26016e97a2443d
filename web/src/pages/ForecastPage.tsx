import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { storeToken } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { JobStatusQuery } from '../api/types.js';
import { AccuracyView } from '../components/AccuracyView.js';
import { AggregatesView } from '../components/AggregatesView.js';
import { ForecastsView } from '../components/ForecastsView.js';
import { LoadError, type FailedRead } from '../components/LoadError.js';
import { MainLayout, viewIds, type View } from '../components/MainLayout.js';
import { OptimizationQueuePopup } from '../components/OptimizationQueuePopup.js';
import { SettingsPanel } from '../components/SettingsPanel.js';
import { TokenPrompt } from '../components/TokenPrompt.js';
import { UploadPanel } from '../components/UploadPanel.js';
import { useBackendJobStatus } from '../hooks/useBackendJobStatus.js';
import { useDataHandlers } from '../hooks/useDataHandlers.js';
import { useRecentPaceSummary } from '../hooks/useRecentPaceSummary.js';
import { useAppRoute } from '../routing/useAppRoute.js';
import { useRouteDataset } from '../routing/useRouteDataset.js';

const statusQuery: JobStatusQuery = { limit: 100 };
const refetchEveryMs = 3000;

/**
 * The one place that reads job status. Everything below gets `jobs` and `summary` as props, so
 * the badge, the popup and the charts always show the same snapshot of the queue.
 */
export function ForecastPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const polled = useBackendJobStatus({ client: api, query: statusQuery });
  const summary = useRecentPaceSummary(polled.summary, polled.loaded);
  const status = { ...polled, summary };
  // The URL says which dataset, page and SKU are shown (web/src/routing); Back and Forward work.
  const routing = useAppRoute(viewIds);
  const view = routing.page.view as View;
  const [notice, setNotice] = useState<string | null>(null);

  const datasets = useQuery({ queryKey: queryKeys.datasets, queryFn: () => api.datasets() });
  const datasetList = useMemo(() => datasets.data?.datasets ?? [], [datasets.data]);
  // A list that failed (after its retries) is an error, not an empty list: "No dataset yet" would say there is none.
  const datasetsError = datasets.isError && !datasets.data ? (datasets.error instanceof Error ? datasets.error.message : String(datasets.error)) : null;
  const datasetsFailed: FailedRead | null = datasetsError === null ? null : { message: datasetsError, retry: () => void datasets.refetch(), retrying: datasets.isFetching };
  const { datasetId, dataset, sku, navigate, hrefOf, selectDataset, selectSku } = useRouteDataset({
    routing,
    datasets: datasets.data ? datasetList : null,
    onMissing: (id) => setNotice(`There is no dataset “${id}” (any more): showing another one.`),
  });
  // The tab and Back's history list name what a link shows.
  useEffect(() => {
    document.title = [sku, view === 'forecasts' ? null : view.charAt(0).toUpperCase() + view.slice(1), dataset?.name, 'Skucast'].filter(Boolean).join(' · ');
  }, [sku, view, dataset?.name]);

  // The queue dialog shows the selected dataset's jobs unless the planner asks for every dataset:
  // its counts, progress and rows then come from one poll of that scope (GET /api/jobs/status?datasetId=).
  const [queueAll, setQueueAll] = useState(false);
  // The dataset itself, not only its id: a deep link names the id before the list answers, and the
  // dialog's title and toggle (its `scope`) need the dataset, so it is scoped only once they agree.
  const queueScoped = routing.route.queue && dataset !== null && !queueAll;
  const scopedQuery = useMemo<JobStatusQuery>(() => ({ ...statusQuery, datasetId: datasetId ?? undefined }), [datasetId]);
  const scopedPolled = useBackendJobStatus({ client: api, query: scopedQuery, enabled: queueScoped });
  const scopedSummary = useRecentPaceSummary(scopedPolled.summary, scopedPolled.loaded);
  const queue = queueScoped ? { ...scopedPolled, summary: scopedSummary } : status;
  // The header follows the whole queue's poll and the dialog its own: when the whole queue's
  // counts move, the dialog asks again at once, so it never says "running" beside a header that
  // says "all done" for up to a poll interval (2 s).
  const { pending, running, completed, failed, cancelled } = status.summary;
  const refreshScoped = scopedPolled.refresh;
  useEffect(() => {
    if (queueScoped) refreshScoped();
  }, [queueScoped, refreshScoped, pending, running, completed, failed, cancelled]);
  const datasetNames = useMemo(() => new Map(datasetList.map((d) => [d.id, d.name])), [datasetList]);

  const handlers = useDataHandlers({
    datasetId,
    onJobsSubmitted: status.refresh,
    // The new dataset's forecasts; a queue dialog opened while the upload ran stays open over them.
    onDatasetCreated: (id) => routing.go((current) => ({ datasetId: id, view: 'forecasts', sku: null, queue: current.queue })),
  });

  // Finished jobs change forecasts, metrics and the SKU list: refetch them when the counts move,
  // at most every few seconds while a large queue drains. Meanwhile the SKU list refreshes only
  // the rows in view (refreshTick), not every page loaded; the whole list is refetched once idle.
  // Totals follow the same tick (when jobs of their dataset ran, at most every 15 s or 5 x the sum's response time) and idle.
  // The refetch at idle is the last one: the API serves a portfolio summary up to 5 s old only
  // while jobs are pending or running, so the one asked for at idle already counts every job
  // (the portfolio tile agrees with the badge's "all done"; the tile keeps its previous numbers
  // while it is refetched).
  const finished = status.summary.completed + status.summary.failed;
  const [refreshTick, setRefreshTick] = useState(0);
  const lastRefetch = useRef(0);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const idle = !status.summary.isOptimizing;
  useEffect(() => {
    if (!datasetId || finished === 0) return;
    // A queue that just went idle is refetched at once: that is the moment the planner waits for.
    if (refetchTimer.current && !idle) return;
    clearTimeout(refetchTimer.current ?? undefined);
    const wait = idle ? 0 : Math.max(0, lastRefetch.current + refetchEveryMs - Date.now());
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      lastRefetch.current = Date.now();
      void queryClient.invalidateQueries({ queryKey: queryKeys.forecasts(datasetId) });
      if (idle) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.skus(datasetId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.unmetWork(datasetId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.aggregates(datasetId) });
      } else setRefreshTick((n) => n + 1);
    }, wait);
  }, [finished, idle, datasetId, queryClient]);
  useEffect(() => () => clearTimeout(refetchTimer.current ?? undefined), []);

  // The API came back: whatever failed meanwhile is worth asking again.
  useEffect(() => {
    if (!status.apiDown && status.loaded) void queryClient.invalidateQueries({ predicate: (q) => q.state.status === 'error' });
  }, [status.apiDown, status.loaded, queryClient]);

  const refreshAll = status.refresh;
  const refresh = useCallback(() => {
    refreshAll();
    refreshScoped();
  }, [refreshAll, refreshScoped]);
  const act = useCallback(
    async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        setNotice(error instanceof Error ? error.message : String(error));
      } finally {
        refresh();
      }
    },
    [refresh],
  );

  return (
    <>
      <MainLayout
        jobs={status.jobs}
        summary={status.summary}
        apiDown={status.apiDown}
        statusError={status.error}
        statusLoaded={status.loaded}
        view={view}
        onNavigate={navigate}
        hrefOf={hrefOf}
        datasets={datasetList}
        datasetsLoading={datasets.isPending}
        datasetsError={datasetsFailed}
        datasetId={datasetId}
        onSelectDataset={selectDataset}
        onOpenQueue={routing.openQueue}
      >
        {status.unauthorized ? (
          <TokenPrompt
            onSubmit={(token) => {
              storeToken(token);
              status.refresh();
              void queryClient.invalidateQueries();
            }}
          />
        ) : null}
        {view === 'upload' ? <UploadPanel handlers={handlers} datasetName={dataset?.name ?? null} /> : null}
        {/* Without a dataset in the URL, a list that failed is not "No data yet". */}
        {view === 'forecasts' && datasetsFailed && datasetId === null ? (
          <LoadError what="datasets" error={datasetsFailed} onRetry={datasetsFailed.retry} retrying={datasetsFailed.retrying} />
        ) : view === 'forecasts' ? (
          <ForecastsView
            datasetId={datasetId}
            sku={sku}
            onSelectSku={selectSku}
            skuRefresh={refreshTick}
            datasetsLoading={datasets.isPending && datasetId === null}
            jobs={status.jobs}
            handlers={handlers}
            onJobsSubmitted={status.refresh}
            onUpload={() => navigate('upload')}
          />
        ) : null}
        {view === 'settings' ? (
          <SettingsPanel
            dataset={dataset}
            datasetsLoading={datasets.isPending}
            datasetsError={datasetsFailed}
            onJobsSubmitted={status.refresh}
            onDeleted={(gone) => {
              // Straight to another dataset (replaced: Back must not lead to the deleted one), so
              // the refetched list finds no link to a missing dataset to warn about.
              const next = datasetList.find((d) => d.id !== gone.id);
              setNotice(`Deleted “${gone.name}”.`);
              routing.go({ datasetId: next?.id ?? null, view: next ? 'forecasts' : 'upload', sku: null, queue: false }, { replace: true });
              status.refresh();
            }}
          />
        ) : null}
        {/* Without a dataset in the URL these pages wait for the list, not say "Upload a dataset first". */}
        {view === 'accuracy' || view === 'totals' ? (
          datasets.isPending && datasetId === null ? (
            <p className="empty-state">Loading datasets…</p>
          ) : datasetsFailed && datasetId === null ? (
            <LoadError what="datasets" error={datasetsFailed} onRetry={datasetsFailed.retry} retrying={datasetsFailed.retrying} />
          ) : view === 'accuracy' ? (
            <AccuracyView datasetId={datasetId} frequency={dataset?.frequency} onJobsSubmitted={status.refresh} />
          ) : (
            <AggregatesView datasetId={datasetId} frequency={dataset?.frequency} refreshKey={refreshTick} jobs={status.jobs} />
          )
        ) : null}
      </MainLayout>
      {routing.route.queue ? (
        <OptimizationQueuePopup
          jobs={queue.jobs}
          summary={queue.summary}
          total={queue.total}
          nextCursor={queue.nextCursor}
          loaded={queue.loaded}
          loadError={queue.error}
          loadRetrying={queue.retrying}
          onReload={queue.refresh}
          scope={dataset ? { datasetId: dataset.id, name: dataset.name, all: queueAll, onChange: setQueueAll } : undefined}
          datasetNames={datasetNames}
          wholeQueue={{ jobs: status.jobs, summary: status.summary }}
          datasetCount={datasets.data ? datasetList.length : undefined}
          onClose={routing.closeQueue}
          onCancel={(id) => act(() => api.cancelJob(id))}
          onRetry={(id) => act(() => api.retryJob(id))}
          onRetryAllFailed={() => act(() => api.retryJobs(queueScoped && datasetId ? { datasetId } : {}))}
          onClearCompleted={() => act(() => api.clearCompleted())}
          // The forecasts went with the jobs; the refetch on finished counts never fires at zero.
          onReset={() => act(async () => {
            await api.resetQueue();
            await queryClient.invalidateQueries();
          })}
          onCancelActive={() => act(() => api.cancelJobs({ status: ['pending', 'running'] }))}
          loadPage={api.listJobs}
        />
      ) : null}
      {notice ? (
        <div className="toast" role="status">
          {notice}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
    </>
  );
}
