-- deleteSnapshot: a snapshot of this dataset, unless it is the dataset's newest, whose mark is the
-- dataset's snapshot mark (datasetProgress): without it the forecasts it kept would be due and taken
-- again. No row: no such snapshot of this dataset, or its newest (the store tells which).
DELETE FROM snapshots
 WHERE dataset_id = :datasetId AND id = :id
   AND mark < (SELECT max(mark) FROM snapshots WHERE dataset_id = :datasetId)
RETURNING id, bytes;
