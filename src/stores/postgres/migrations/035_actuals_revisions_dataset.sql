-- deleteDataset deletes the values its actuals overwrote by dataset (postgres-planning-cycle.ts,
-- deletePlanningCycle), and actuals_revisions' only index was its primary key (actuals_id, sku,
-- date): each delete read the whole table, every dataset's revisions, holding the dataset's row
-- lock (as the SQLite store's 035). Deleting by the dataset's appends instead (`actuals_id IN
-- (SELECT id FROM actuals ...)`, a seek in the primary key) was tried: the planner preferred a
-- hash join over a sequential scan of this table at 40,000 revisions (5 seeks of 200 rows priced
-- above reading it all), so it only seeks once the table is far larger. A revision is only
-- inserted, read by its append (migrate-store) and deleted with its dataset.
CREATE INDEX actuals_revisions_dataset ON actuals_revisions (dataset_id);
