-- Which of :skus (a JSON array) the dataset lacks, in the order asked, each once.
SELECT DISTINCT value AS sku FROM json_each(:skus)
 WHERE value NOT IN (SELECT sku FROM series WHERE dataset_id = :datasetId)
 ORDER BY key;
