SELECT * FROM series
 WHERE dataset_id = :datasetId AND sku = ANY (:skus::text[])
 ORDER BY sku;
