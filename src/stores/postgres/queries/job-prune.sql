-- prune: delete finished jobs (of the given statuses) that finished before :before, except the
-- newest completed job per (dataset, sku, model) of a dataset that still exists: its result is
-- that SKU's current forecast (latestResults), and clearing the queue must not erase forecasts.
DELETE FROM jobs AS j
 WHERE j.status = ANY (:statuses::text[]) AND j.finished_at < :before
   AND NOT (j.status = 'completed'
            AND EXISTS (SELECT 1 FROM datasets AS d WHERE d.id = j.dataset_id)
            AND NOT EXISTS (SELECT 1 FROM jobs AS n
                             WHERE n.dataset_id = j.dataset_id AND n.sku = j.sku AND n.model_id = j.model_id
                               AND n.status = 'completed' AND n.id > j.id));
