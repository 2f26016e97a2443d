INSERT INTO overrides (dataset_id, sku, model_id, updated_at) VALUES (:datasetId, :sku, :modelId, :now)
ON CONFLICT (dataset_id, sku) DO UPDATE SET model_id = excluded.model_id, updated_at = excluded.updated_at;
