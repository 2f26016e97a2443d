-- What forecasts.csv's `status` said of each SKU when its snapshot was taken (forecast-status.ts):
-- `inactive` (the SKU read as stopped, forecast as 0) cannot be told from the kept values, which a
-- real forecast of zeros shares, nor `failed` from `none`. A snapshot's CSV reads it from here.
-- A table beside `snapshot_items`, as 040's worker_waiting: postgres-planning-cycle.ts reads
-- `snapshot_items` with `SELECT *`, so a new column there would fail that statement in every
-- process older than 042 still running (`cached plan must not change result type`). A snapshot
-- without rows here (taken before 042, or by an older process during an upgrade) has no recorded
-- status: its CSV leaves the column empty, as before. The foreign key takes the rows with their
-- snapshot, whoever deletes it (a process older than 042 included).
-- `pending` does not occur (a snapshot is taken only with no job of the dataset open) but is the
-- same vocabulary as the live CSV's, so it is not refused.
CREATE TABLE snapshot_item_status (
  snapshot_id bigint           NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  sku         text COLLATE "C" NOT NULL,
  status      text             NOT NULL CHECK (status IN ('forecast', 'inactive', 'pending', 'failed', 'none')),
  PRIMARY KEY (snapshot_id, sku)
);
