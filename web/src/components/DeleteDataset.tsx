import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import type { Dataset } from '../api/types.js';
import { formatCounted } from '../format.js';
import { ErrorDetails } from './ErrorDetails.js';

export interface DeleteDatasetProps {
  dataset: Pick<Dataset, 'id' | 'name' | 'skuCount'>;
  /** Told once the dataset is gone, before the dataset list is read again: the page moves elsewhere. */
  onDeleted: (dataset: Pick<Dataset, 'id' | 'name'>) => void;
}

/**
 * Deleting a dataset from the web app (was: curl or the CLI only, so every trial upload stayed in
 * the picker for good). Modes: closed (one button), confirming (what goes, named, and two
 * buttons; the focus on "Keep it"), deleting, failed (the refusal, the confirmation kept).
 */
export function DeleteDataset({ dataset, onDeleted }: DeleteDatasetProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const remove = useMutation({
    mutationFn: (target: Pick<Dataset, 'id' | 'name'>) => api.deleteDataset(target.id),
    onSuccess: (_answer, target) => {
      onDeleted(target);
      void queryClient.invalidateQueries({ queryKey: queryKeys.datasets });
    },
  });
  // Another dataset picked meanwhile: its section starts closed.
  useEffect(() => {
    setConfirming(false);
    remove.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataset.id]);
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
    else if (opened.current) openRef.current?.focus();
  }, [confirming]);

  return (
    <section className="card danger-zone" aria-labelledby="delete-dataset-title">
      <h2 id="delete-dataset-title">Delete this dataset</h2>
      {!confirming ? (
        <button
          type="button"
          ref={openRef}
          className="btn btn-danger"
          onClick={() => {
            opened.current = true;
            setConfirming(true);
          }}
        >
          Delete “{dataset.name}”…
        </button>
      ) : (
        <div role="group" aria-labelledby="delete-dataset-title" data-testid="delete-confirm">
          <p>
            “{dataset.name}” and its {formatCounted(dataset.skuCount, 'SKU')} go: their history and edits, forecasts, snapshots and actuals.
            Its pending and running jobs are cancelled (the queue keeps their records). This cannot be undone; export what you want to keep
            first.
          </p>
          {remove.isError ? <ErrorDetails error={remove.error} /> : null}
          <div className="form-actions">
            <button type="button" className="btn btn-danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: dataset.id, name: dataset.name })}>
              {remove.isPending ? 'Deleting…' : 'Delete dataset'}
            </button>
            <button type="button" ref={keepRef} className="btn" disabled={remove.isPending} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
