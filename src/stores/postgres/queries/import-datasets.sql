-- migrate-store: one dataset as it was, times included. Inserted oldest first, so `seq` keeps
-- the creation order latestDataset relies on.
INSERT INTO datasets (id, name, frequency, settings, report, sku_count, created_at, updated_at)
VALUES (:id, :name, :frequency, :settings::json, :report::json, :skuCount, :createdAt, :updatedAt);
