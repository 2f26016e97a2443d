-- prune: delete finished jobs (of the given statuses) that finished before :before, except the
-- newest completed job per (dataset, sku, model) of a dataset that still exists: its result is
-- that SKU's current forecast (latestResults), and clearing the queue must not erase forecasts.
DELETE FROM jobs AS j
 WHERE j.status IN (SELECT value FROM json_each(:statuses)) AND j.finished_at < :before
   AND NOT (j.status = 'completed'
            AND EXISTS (SELECT 1 FROM job_datasets AS r JOIN datasets AS d ON d.id = r.dataset_id WHERE r.ref = j.dataset_ref)
            AND NOT EXISTS (SELECT 1 FROM jobs AS n
                             WHERE n.dataset_ref = j.dataset_ref AND n.sku = j.sku AND n.model_id = j.model_id
                               AND n.status = 'completed' AND n.id > j.id));
