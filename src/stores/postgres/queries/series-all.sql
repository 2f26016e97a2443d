SELECT * FROM series WHERE dataset_id = :datasetId ORDER BY sku;
