-- updateSeries: new edits (volume and demand class recomputed by the caller), all SKUs in one
-- statement. The SKUs not returned are unknown to the dataset, or (with a seen) written since the
-- caller read them. updated_at only rises (dataset-touch.sql).
UPDATE series AS s
   SET edits = u.edits::json, volume = u.volume, demand_class = u.demand_class, updated_at = greatest(:now, s.updated_at + 1)
  FROM unnest(:skus::text[], :edits::text[], :volumes::float8[], :demandClasses::text[], :seen::bigint[])
       AS u (sku, edits, volume, demand_class, seen)
 WHERE s.dataset_id = :datasetId AND s.sku = u.sku AND (u.seen IS NULL OR s.updated_at = u.seen)
RETURNING s.sku;
