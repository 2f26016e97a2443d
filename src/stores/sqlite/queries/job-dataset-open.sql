-- enqueue: does this dataset (NULL: jobs without one) have a pending or running job? When none
-- of a batch's datasets has, nothing outside the batch can be superseded (a seek in jobs_dataset_open).
SELECT EXISTS (SELECT 1 FROM jobs WHERE dataset_id IS :datasetId AND status IN ('pending', 'running')) AS open;
