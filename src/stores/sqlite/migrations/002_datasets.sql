-- Datasets, their series and a planner's per-SKU model choices.
-- Series values are JSON text: a series is always read and written whole.
CREATE TABLE datasets (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order, for latestDataset
  id         TEXT    NOT NULL UNIQUE,
  name       TEXT    NOT NULL,
  frequency  TEXT    NOT NULL,
  settings   TEXT    NOT NULL, -- JSON DatasetSettings
  report     TEXT    NOT NULL, -- JSON ImportReport
  sku_count  INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE series (
  dataset_id   TEXT    NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  sku          TEXT    NOT NULL,
  dates        TEXT    NOT NULL, -- JSON string[]
  original     TEXT    NOT NULL, -- JSON number[]
  edits        TEXT    NOT NULL, -- JSON {index: value}
  length       INTEGER NOT NULL,
  volume       REAL    NOT NULL,
  demand_class TEXT    NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, sku)
);
CREATE INDEX series_volume ON series (dataset_id, volume);
CREATE INDEX series_length ON series (dataset_id, length);
CREATE INDEX series_demand_class ON series (dataset_id, demand_class);

CREATE TABLE overrides (
  dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  sku        TEXT NOT NULL,
  model_id   TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, sku)
) WITHOUT ROWID;
