-- skuAttributes: every SKU's attributes, without its values.
SELECT sku, attributes FROM series WHERE dataset_id = :datasetId ORDER BY sku;
