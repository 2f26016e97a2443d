-- migrate-store: a dataset's overrides, with when each was set.
INSERT INTO overrides (dataset_id, sku, model_id, updated_at)
SELECT :datasetId, o.sku, o.model_id, o.updated_at
  FROM unnest(:skus::text[], :modelIds::text[], :updatedAts::bigint[]) AS o (sku, model_id, updated_at);
