import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { ApiError } from '../api/client.js';
import { createActionKeys } from '../api/idempotency-key.js';
import { queryKeys } from '../api/query-keys.js';
import type { DatasetCreated, SkuPatch, SkuPatched, UploadOptions } from '../api/types.js';

export interface DataHandlersOptions {
  datasetId: string | null;
  /** Called after anything that creates jobs, so the queue badge shows them without waiting a poll. */
  onJobsSubmitted?: () => void;
  onDatasetCreated?: (datasetId: string) => void;
}

export interface DataHandlers {
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
  /** A dry run; `file` is CSV text or a File/Blob (sent as multipart), `filename` names a Blob. */
  previewUpload: (file: string | Blob, opts?: UploadOptions, filename?: string) => Promise<DatasetCreated>;
  handleDataUpload: (file: string | Blob, opts?: UploadOptions, filename?: string) => Promise<DatasetCreated | null>;
  handleLoadSample: (skus?: number) => Promise<DatasetCreated | null>;
  handleEditPoint: (sku: string, date: string, value: number) => Promise<SkuPatched | null>;
  handleResetPoint: (sku: string, date: string) => Promise<SkuPatched | null>;
  handleAcceptOutliers: (sku: string, dates?: string[]) => Promise<SkuPatched | null>;
  handleUndoAll: (sku: string) => Promise<SkuPatched | null>;
  handleCleaningUpload: (csv: string) => Promise<unknown>;
}

/**
 * Everything that submits work: uploads and cleaning. The API creates the jobs (uploads at
 * priority 3, cleaning at priority 1); this hook only sends the request, refreshes the cached
 * data it changed and nudges the job-status poller. An import and the sample carry an
 * Idempotency-Key per planner's action (api/idempotency-key.ts): Import pressed again with the same
 * file and options after an answer that never came (the API unreachable, a 5xx) sends the same key,
 * and gets the first try's dataset if that try made one, not a second dataset.
 */
export function useDataHandlers({ datasetId, onJobsSubmitted, onDatasetCreated }: DataHandlersOptions): DataHandlers {
  const api = useApi();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [keys] = useState(createActionKeys);

  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, String(caught)));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);

  const afterCreate = useCallback(
    async (created: DatasetCreated) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.datasets });
      onJobsSubmitted?.();
      if (created.datasetId) onDatasetCreated?.(created.datasetId);
      return created;
    },
    [queryClient, onJobsSubmitted, onDatasetCreated],
  );

  const patch = useCallback(
    (sku: string, body: SkuPatch) =>
      run(async () => {
        if (!datasetId) throw new ApiError(400, 'Choose a dataset first.');
        const patched = await api.patchSku(datasetId, sku, body);
        queryClient.setQueryData(queryKeys.series(datasetId, sku), patched.series);
        void queryClient.invalidateQueries({ queryKey: queryKeys.skus(datasetId) });
        onJobsSubmitted?.();
        return patched;
      }),
    [api, datasetId, queryClient, onJobsSubmitted, run],
  );

  return useMemo<DataHandlers>(
    () => ({
      busy,
      error,
      clearError: () => setError(null),
      // A preview throws its error to the caller: a refused file is shown in the upload panel.
      previewUpload: (file, opts = {}, filename) => api.uploadDataset(file, { ...opts, dryRun: true }, filename),
      handleDataUpload: (file, opts = {}, filename) => {
        const sent = { ...opts, dryRun: false, createJobs: opts.createJobs ?? true };
        return run(async () => afterCreate(await keys.send('dataset', [file, sent, filename],
          (idempotencyKey) => api.uploadDataset(file, sent, filename, { idempotencyKey }))));
      },
      handleLoadSample: (skus) => run(async () => afterCreate(await keys.send('sample', [skus],
        (idempotencyKey) => api.sampleDataset(skus, { idempotencyKey })))),
      handleEditPoint: (sku, date, value) => patch(sku, { edits: [{ date, value }] }),
      handleResetPoint: (sku, date) => patch(sku, { reset: [date] }),
      handleAcceptOutliers: (sku, dates) => patch(sku, { acceptOutliers: dates && dates.length > 0 ? dates : true }),
      handleUndoAll: (sku) => patch(sku, { undoAll: true }),
      handleCleaningUpload: (csv) =>
        run(async () => {
          if (!datasetId) throw new ApiError(400, 'Choose a dataset first.');
          const result = await api.uploadCleaning(datasetId, csv);
          await queryClient.invalidateQueries({ queryKey: queryKeys.series(datasetId) });
          onJobsSubmitted?.();
          return result;
        }),
    }),
    [api, busy, error, keys, run, afterCreate, patch, datasetId, queryClient, onJobsSubmitted],
  );
}
