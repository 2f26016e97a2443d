-- enqueue: the ref of a dataset of the batch (migration 030: its rows hold it), a new one for a
-- dataset id no job held before. (DO UPDATE, not DO NOTHING: only then does RETURNING give the ref
-- of a row already there.)
INSERT INTO job_datasets (dataset_id) VALUES (:datasetId)
ON CONFLICT (dataset_id) DO UPDATE SET dataset_id = excluded.dataset_id
RETURNING ref;
