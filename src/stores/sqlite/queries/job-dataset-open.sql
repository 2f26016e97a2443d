-- enqueue: does this dataset (NULL: jobs without one) have a pending or running job? When none
-- of a batch's datasets has, nothing outside the batch can be superseded. INDEXED BY: without
-- statistics the planner picks jobs_work (dataset_ref=?) and walks every job the dataset ever had
-- (a million finished ones, for a dataset with none open); jobs_dataset_open holds open ones only.
-- :datasetRef is the dataset's ref (migration 030), NULL for jobs without a dataset.
SELECT EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_dataset_open
                WHERE dataset_ref IS :datasetRef AND status IN ('pending', 'running')) AS open;
