import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import { formatCount, formatCounted } from '../format.js';

/**
 * Says how many SKUs show forecasts not made with the dataset's current settings and data, with
 * nothing queued to bring them up to date (GET /api/datasets/:id/unmet-work), and queues that work
 * in one click (POST). A settings change cancelled midway left some SKUs forecast with the new
 * horizon and the rest with the old while the tile read "3,000 / 3,000", and "Retry all failed"
 * leaves cancelled jobs out. Hidden while nothing is unmet (a batch that runs covers its SKUs).
 */
export function UnmetWorkNotice({ datasetId, skuCount, onJobsSubmitted }: { datasetId: string; skuCount?: number; onJobsSubmitted: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const unmet = useQuery({ queryKey: queryKeys.unmetWork(datasetId), queryFn: () => api.unmetWork(datasetId) });
  const queue = useMutation({
    mutationFn: () => api.queueUnmetWork(datasetId),
    onSuccess: () => {
      onJobsSubmitted();
      void queryClient.invalidateQueries({ queryKey: queryKeys.unmetWork(datasetId) });
    },
  });
  const u = unmet.data;
  if (!u || u.skus === 0) return null;
  const of = skuCount !== undefined && skuCount >= u.skus ? ` of ${formatCount(skuCount)}` : '';
  const examples = u.examples.length > 0 ? ` (${u.examples.join(', ')}${u.skus > u.examples.length ? ', …' : ''})` : '';
  return (
    <div className="banner banner-warning unmet-work" role="status" data-testid="unmet-work">
      <span>
        {formatCount(u.skus)}
        {of} {u.skus === 1 && of === '' ? 'SKU' : 'SKUs'} {u.skus === 1 ? 'has a forecast' : 'have forecasts'} not made with the current settings
        and data{examples}, and nothing is queued to update {u.skus === 1 ? 'it' : 'them'}: a run was cancelled or failed.
      </span>{' '}
      <button type="button" className="btn" onClick={() => queue.mutate()} disabled={queue.isPending}>
        {queue.isPending ? 'Queuing…' : `Queue the missing ${formatCounted(u.jobs, 'job')}`}
      </button>
      {queue.isError ? <span className="form-error"> Could not queue them: {queue.error.message}</span> : null}
    </div>
  );
}
