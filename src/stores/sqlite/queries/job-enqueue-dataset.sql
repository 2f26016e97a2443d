-- enqueue: a ref for a dataset id no job held before (migration 030: the rows hold it), once
-- job-dataset-ref.sql found none. Not an upsert: its conflict path still takes the next
-- AUTOINCREMENT value (sqlite_sequence moves, the ref is lost) and rewrites the row, every enqueue
-- into a dataset that has its ref; refs grew by one per enqueue, each a byte more per row and index
-- entry past 127, 32,767, ...
INSERT INTO job_datasets (dataset_id) VALUES (:datasetId) RETURNING ref;
