-- updateSeries: new edits (volume and demand class recomputed by the caller). 0 rows = unknown SKU,
-- or (with :seen) a series written since the caller read it. updated_at only rises (dataset-touch.sql).
UPDATE series SET edits = :edits, volume = :volume, demand_class = :demandClass, updated_at = max(:now, updated_at + 1)
 WHERE dataset_id = :datasetId AND sku = :sku AND (:seen IS NULL OR updated_at = :seen);
