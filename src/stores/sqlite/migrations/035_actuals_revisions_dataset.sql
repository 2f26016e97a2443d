-- deleteDataset deletes the values its actuals overwrote by dataset (sqlite-planning-cycle.ts,
-- deletePlanningCycle), and actuals_revisions' only index was its primary key (actuals_id, sku,
-- date): each delete read the whole table, every dataset's revisions, inside the write lock. A
-- revision is only inserted, read by its append (migrate-store) and deleted with its dataset.
-- An index, not a delete by the dataset's appends: PostgreSQL's 035 says why.
CREATE INDEX actuals_revisions_dataset ON actuals_revisions (dataset_id);
