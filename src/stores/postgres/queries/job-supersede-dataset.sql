-- supersede for a dataset's first jobs (enqueueNewDatasetJobs), under the enqueue lock once they
-- are in: among the dataset's active jobs, the newest of each piece of work stays and the older
-- ones give way to it, whichever transaction enqueued them (usually none: the scan of the
-- dataset's entries in jobs_work finds each piece of work once and changes nothing).
UPDATE jobs AS o
   SET status = 'cancelled', error = 'superseded by job ' || n.newest, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM (SELECT sku, model_id, method, max(id) AS newest
          FROM jobs WHERE dataset_id = :datasetId AND status IN ('pending', 'running')
         GROUP BY sku, model_id, method HAVING count(*) > 1) AS n
 WHERE o.dataset_id = :datasetId AND o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
   AND o.status IN ('pending', 'running') AND o.id < n.newest;
