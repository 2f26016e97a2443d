-- migrate-store: a page of the statuses snapshot items were taken with (042), after their snapshots.
INSERT INTO snapshot_item_status (snapshot_id, sku, status)
SELECT i.snapshot_id, i.sku, i.status
  FROM unnest(:snapshotIds::bigint[], :skus::text[], :statuses::text[]) AS i (snapshot_id, sku, status);
