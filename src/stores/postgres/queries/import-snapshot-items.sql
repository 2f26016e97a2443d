-- migrate-store: a page of snapshot items (vals: the encoded values, byte for byte).
INSERT INTO snapshot_items (snapshot_id, sku, model_id, selected_by, error, dates, vals)
SELECT i.snapshot_id, i.sku, i.model_id, i.selected_by, i.error, i.dates::json, i.vals
  FROM unnest(:snapshotIds::bigint[], :skus::text[], :modelIds::text[], :selectedBys::text[], :errors::float8[],
              :dates::text[], :vals::bytea[])
       AS i (snapshot_id, sku, model_id, selected_by, error, dates, vals);
