SELECT sku, model_id FROM overrides WHERE dataset_id = :datasetId ORDER BY sku;
