-- An id that exists violates the primary key: createDataset then rolls back as a whole.
INSERT INTO datasets (id, name, frequency, settings, report, sku_count, created_at, updated_at)
VALUES (:id, :name, :frequency, :settings::json, :report::json, :skuCount, :now, :now)
RETURNING *;
