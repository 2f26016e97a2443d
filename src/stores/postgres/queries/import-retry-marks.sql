-- migrate-store: the marks retries drew (043), as stored.
INSERT INTO retry_marks (dataset_id, mark)
SELECT r.dataset_id, r.mark
  FROM unnest(:datasetIds::text[], :marks::bigint[]) AS r (dataset_id, mark);
