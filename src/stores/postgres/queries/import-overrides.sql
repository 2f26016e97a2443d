-- migrate-store: a dataset's overrides.
INSERT INTO overrides (dataset_id, sku, model_id, updated_at)
SELECT :datasetId, o.sku, o.model_id, :now::bigint
  FROM unnest(:skus::text[], :modelIds::text[]) AS o (sku, model_id);
