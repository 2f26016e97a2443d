-- Which of :skus the dataset lacks, in the order asked, each once.
SELECT a.sku
  FROM unnest(:skus::text[]) WITH ORDINALITY AS a (sku, ord)
 WHERE NOT EXISTS (SELECT 1 FROM series WHERE dataset_id = :datasetId AND sku = a.sku)
 GROUP BY a.sku
 ORDER BY min(a.ord);
