DELETE FROM overrides WHERE dataset_id = :datasetId;
