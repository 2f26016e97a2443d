SELECT * FROM series WHERE dataset_id = :datasetId AND sku = :sku;
