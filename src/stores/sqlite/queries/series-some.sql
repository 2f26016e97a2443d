SELECT * FROM series
 WHERE dataset_id = :datasetId AND sku IN (SELECT value FROM json_each(:skus))
 ORDER BY sku;
