-- updateSeries: new edits (volume and demand class recomputed by the caller), all SKUs in one
-- statement. The SKUs not returned are unknown to the dataset.
UPDATE series AS s
   SET edits = u.edits::json, volume = u.volume, demand_class = u.demand_class, updated_at = :now
  FROM unnest(:skus::text[], :edits::text[], :volumes::float8[], :demandClasses::text[])
       AS u (sku, edits, volume, demand_class)
 WHERE s.dataset_id = :datasetId AND s.sku = u.sku
RETURNING s.sku;
