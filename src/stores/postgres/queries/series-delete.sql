DELETE FROM series WHERE dataset_id = :datasetId;
