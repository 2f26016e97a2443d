-- The planning cycle: actuals appended to a dataset (with the audit of the values they
-- overwrote) and snapshots of the forecasts the app showed (docs/planning-cycle.md).
CREATE TABLE actuals (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT    NOT NULL UNIQUE,
  dataset_id     TEXT    NOT NULL,
  batch_id       TEXT,
  created_at     INTEGER NOT NULL,
  mark_before    INTEGER NOT NULL, -- the dataset's newest job id before the append
  skus_changed   INTEGER NOT NULL,
  skus_added     INTEGER NOT NULL,
  periods_added  INTEGER NOT NULL,
  values_revised INTEGER NOT NULL,
  history_end    TEXT,
  report         TEXT    NOT NULL -- JSON ImportReport of the actuals file
);
CREATE INDEX actuals_dataset ON actuals (dataset_id, seq);
CREATE INDEX actuals_batch ON actuals (batch_id);

-- Every value an actuals file overwrote: the audit.
CREATE TABLE actuals_revisions (
  actuals_id TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  sku        TEXT NOT NULL,
  date       TEXT NOT NULL,
  previous   REAL NOT NULL,
  value      REAL NOT NULL,
  PRIMARY KEY (actuals_id, sku, date)
) WITHOUT ROWID;

-- One snapshot per (dataset, mark): the mark is the dataset's newest job id when it was taken.
CREATE TABLE snapshots (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id         TEXT    NOT NULL,
  mark               INTEGER NOT NULL,
  cause              TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  history_end        TEXT,
  forecast_start     TEXT,
  forecast_end       TEXT,
  sku_count          INTEGER NOT NULL,
  skus_with_forecast INTEGER NOT NULL,
  bytes              INTEGER NOT NULL,
  portfolio          TEXT    NOT NULL, -- JSON {wape, bias}
  UNIQUE (dataset_id, mark)
);

-- What was shown per SKU; `vals` is float64 mean, lo80, hi80, lo95, hi95 (snapshot-values.ts).
CREATE TABLE snapshot_items (
  snapshot_id INTEGER NOT NULL,
  sku         TEXT    NOT NULL,
  model_id    TEXT,
  selected_by TEXT,
  error       REAL,
  dates       TEXT    NOT NULL, -- JSON string[]
  vals        BLOB    NOT NULL,
  PRIMARY KEY (snapshot_id, sku)
) WITHOUT ROWID;

-- datasetProgress: is a job of the dataset open, and which is its newest (probes, not scans).
CREATE INDEX jobs_dataset_open ON jobs (dataset_id) WHERE status IN ('pending', 'running');
CREATE INDEX jobs_dataset_newest ON jobs (dataset_id, id);
-- It also serves ?datasetId= of the finished group, so 009's partial copy of it would only cost writes.
DROP INDEX IF EXISTS jobs_dataset_finished;
