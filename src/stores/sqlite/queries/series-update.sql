-- updateSeries: new edits (volume and demand class recomputed by the caller). 0 rows = unknown SKU.
UPDATE series SET edits = :edits, volume = :volume, demand_class = :demandClass, updated_at = :now
 WHERE dataset_id = :datasetId AND sku = :sku;
