-- A duplicate SKU violates the primary key: createDataset then rolls back as a whole.
INSERT INTO series (dataset_id, sku, attributes, dates, original, edits, provisional, length, volume, demand_class, updated_at)
VALUES (:datasetId, :sku, :attributes, :dates, :original, :edits, :provisional, :length, :volume, :demandClass, :now);
