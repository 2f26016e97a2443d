-- What forecasts.csv's `status` said of each SKU when its snapshot was taken (forecast-status.ts):
-- `inactive` (the SKU read as stopped, forecast as 0) cannot be told from the kept values, which a
-- real forecast of zeros shares, nor `failed` from `none`. A snapshot's CSV reads it from here.
-- A table beside `snapshot_items`, as PostgreSQL's 042 (where a new column of `snapshot_items`
-- breaks the `SELECT *` older processes have prepared): `snapshot_items` keeps its shape in both
-- stores. A snapshot without rows here (taken before 042, or by an older process during an
-- upgrade) has no recorded status: its CSV leaves the column empty, as before. The foreign key
-- takes the rows with their snapshot, whoever deletes it (a process older than 042 included).
-- `pending` does not occur (a snapshot is taken only with no job of the dataset open) but is the
-- same vocabulary as the live CSV's, so it is not refused. The CHECK is spelled as comparisons, not
-- IN (...), for 024's reason (an IN list builds a temporary b-tree for each row written).
CREATE TABLE snapshot_item_status (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  sku         TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status = 'forecast' OR status = 'inactive' OR status = 'pending'
                                      OR status = 'failed' OR status = 'none'),
  PRIMARY KEY (snapshot_id, sku)
) WITHOUT ROWID;
