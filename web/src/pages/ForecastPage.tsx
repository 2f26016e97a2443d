import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { storeToken } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { JobStatusQuery } from '../api/types.js';
import { AccuracyView } from '../components/AccuracyView.js';
import { AggregatesView } from '../components/AggregatesView.js';
import { ForecastsView } from '../components/ForecastsView.js';
import { MainLayout, type View } from '../components/MainLayout.js';
import { OptimizationQueuePopup } from '../components/OptimizationQueuePopup.js';
import { SettingsPanel } from '../components/SettingsPanel.js';
import { TokenPrompt } from '../components/TokenPrompt.js';
import { UploadPanel } from '../components/UploadPanel.js';
import { useBackendJobStatus } from '../hooks/useBackendJobStatus.js';
import { useDataHandlers } from '../hooks/useDataHandlers.js';

const statusQuery: JobStatusQuery = { limit: 100 };
const datasetKey = 'skucast.datasetId';
const refetchEveryMs = 3000;
const settleRefetchMs = 6000;

function viewFromHash(): View {
  const hash = globalThis.location?.hash.replace('#/', '') ?? '';
  return hash === 'upload' || hash === 'settings' || hash === 'accuracy' || hash === 'totals' ? hash : 'forecasts';
}

/**
 * The one place that reads job status. Everything below gets `jobs` and `summary` as props, so
 * the badge, the popup and the charts always show the same snapshot of the queue.
 */
export function ForecastPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const status = useBackendJobStatus({ client: api, query: statusQuery });
  const [view, setView] = useState<View>(viewFromHash);
  const [queueOpen, setQueueOpen] = useState(false);
  const [chosenId, setChosenId] = useState<string | null>(() => globalThis.localStorage?.getItem(datasetKey) ?? null);

  const datasets = useQuery({ queryKey: queryKeys.datasets, queryFn: () => api.datasets() });
  const datasetList = useMemo(() => datasets.data?.datasets ?? [], [datasets.data]);
  const datasetId = datasetList.some((d) => d.id === chosenId) ? chosenId : (datasetList[0]?.id ?? null);
  const dataset = datasetList.find((d) => d.id === datasetId) ?? null;

  const navigate = useCallback((next: View) => {
    setView(next);
    if (globalThis.history) globalThis.history.replaceState(null, '', `#/${next}`);
  }, []);
  const selectDataset = useCallback((id: string) => {
    setChosenId(id);
    globalThis.localStorage?.setItem(datasetKey, id);
  }, []);

  const handlers = useDataHandlers({
    datasetId,
    onJobsSubmitted: status.refresh,
    onDatasetCreated: (id) => {
      selectDataset(id);
      navigate('forecasts');
    },
  });

  // Finished jobs change forecasts, metrics and the SKU list: refetch them when the counts move,
  // at most every few seconds while a large queue drains.
  const finished = status.summary.completed + status.summary.failed;
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
      void queryClient.invalidateQueries({ queryKey: queryKeys.skus(datasetId) });
    }, wait);
  }, [finished, idle, datasetId, queryClient]);
  useEffect(() => () => clearTimeout(refetchTimer.current ?? undefined), []);
  // The API may answer with a portfolio summary a few seconds old while a queue drains (it caches
  // it): once the queue is idle, ask once more after that window so the last numbers show.
  useEffect(() => {
    if (!idle || !datasetId || finished === 0) return;
    const handle = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.forecasts(datasetId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.skus(datasetId) });
    }, settleRefetchMs);
    return () => clearTimeout(handle);
  }, [idle, datasetId, finished, queryClient]);

  // The API came back: whatever failed meanwhile is worth asking again.
  useEffect(() => {
    if (!status.apiDown && status.loaded) void queryClient.invalidateQueries({ predicate: (q) => q.state.status === 'error' });
  }, [status.apiDown, status.loaded, queryClient]);

  const [notice, setNotice] = useState<string | null>(null);
  const refresh = status.refresh;
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
        view={view}
        onNavigate={navigate}
        datasets={datasetList}
        datasetId={datasetId}
        onSelectDataset={selectDataset}
        onOpenQueue={() => setQueueOpen(true)}
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
        {view === 'forecasts' ? (
          <ForecastsView
            datasetId={datasetId}
            datasetsLoading={datasets.isPending}
            jobs={status.jobs}
            handlers={handlers}
            onUpload={() => navigate('upload')}
          />
        ) : null}
        {view === 'settings' ? <SettingsPanel dataset={dataset} onJobsSubmitted={status.refresh} /> : null}
        {view === 'accuracy' ? <AccuracyView datasetId={datasetId} onJobsSubmitted={status.refresh} /> : null}
        {view === 'totals' ? <AggregatesView datasetId={datasetId} /> : null}
      </MainLayout>
      {queueOpen ? (
        <OptimizationQueuePopup
          jobs={status.jobs}
          summary={status.summary}
          total={status.total}
          nextCursor={status.nextCursor}
          onClose={() => setQueueOpen(false)}
          onCancel={(id) => act(() => api.cancelJob(id))}
          onRetry={(id) => act(() => api.retryJob(id))}
          onRetryAllFailed={() => act(() => api.retryJobs(datasetId ? { datasetId } : {}))}
          onClearCompleted={() => act(() => api.clearCompleted())}
          onReset={() => act(() => api.resetQueue())}
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
