import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import { formatCount, formatCounted } from '../format.js';
import type { UnmetWork } from '../api/types.js';

type UnmetCount = UnmetWork['failed'];

/**
 * Says how many SKUs show forecasts not made with the dataset's current settings and data, or have
 * models that never ran, with nothing queued to bring them up to date (GET
 * /api/datasets/:id/unmet-work), and queues that work in one click (POST). A settings change
 * cancelled midway left some SKUs forecast with the new horizon and the rest with the old while the
 * tile read "3,000 / 3,000", and "Retry all failed" leaves cancelled jobs out. Models whose newest
 * attempt at the current input failed are said apart and left out of the click: queued again they
 * would fail again, so the notice would come back and the button retry them forever. Hidden while
 * nothing is unmet (a batch that runs covers its SKUs).
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
  if (!u || (u.jobs === 0 && u.failed.jobs === 0)) return null;
  const skus = (c: UnmetCount) => {
    const of = skuCount !== undefined && skuCount >= c.skus ? ` of ${formatCount(skuCount)}` : '';
    return `${formatCount(c.skus)}${of} ${c.skus === 1 && of === '' ? 'SKU' : 'SKUs'}`;
  };
  const examples = (c: UnmetCount) => (c.examples.length > 0 ? ` (${c.examples.join(', ')}${c.skus > c.examples.length ? ', …' : ''})` : '');
  const sentences: string[] = [];
  if (u.outOfDate.jobs > 0) {
    const c = u.outOfDate;
    sentences.push(`${skus(c)} ${c.skus === 1 ? 'has a forecast' : 'have forecasts'} not made with the current settings and data${examples(c)}, and nothing is queued to update ${c.skus === 1 ? 'it' : 'them'}.`);
  }
  if (u.neverRan.jobs > 0) {
    const c = u.neverRan;
    sentences.push(`${skus(c)} ${c.skus === 1 ? 'has' : 'have'} ${c.jobs === 1 ? 'a model' : 'models'} with no forecast yet${examples(c)}, and nothing is queued for ${c.jobs === 1 ? 'it' : 'them'}.`);
  }
  if (u.failed.jobs > 0) {
    const c = u.failed;
    sentences.push(`${skus(c)} ${c.skus === 1 ? 'has' : 'have'} ${c.jobs === 1 ? 'a model' : 'models'} that failed on the current settings and data${examples(c)}: queued again ${c.jobs === 1 ? 'it' : 'they'} would likely fail again; see the failed jobs in the queue (Retry all failed).`);
  }
  return (
    <div className="banner banner-warning unmet-work" role="status" data-testid="unmet-work">
      <span>{sentences.join(' ')}</span>{' '}
      {u.jobs > 0 ? (
        <button type="button" className="btn" onClick={() => queue.mutate()} disabled={queue.isPending}>
          {queue.isPending ? 'Queuing…' : `Queue the missing ${formatCounted(u.jobs, 'job')}`}
        </button>
      ) : null}
      {queue.isError ? <span className="form-error"> Could not queue them: {queue.error.message}</span> : null}
    </div>
  );
}
