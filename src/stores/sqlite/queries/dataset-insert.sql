INSERT INTO datasets (id, name, frequency, settings, report, sku_count, created_at, updated_at)
VALUES (:id, :name, :frequency, :settings, :report, :skuCount, :now, :now);
