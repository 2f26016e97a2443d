-- migrate-store: a page of the names planners gave snapshots (045), after their snapshots.
INSERT INTO snapshot_names (snapshot_id, name)
SELECT n.snapshot_id, n.name
  FROM unnest(:snapshotIds::bigint[], :names::text[]) AS n (snapshot_id, name);
