-- supersede: older pending/running jobs for the same work as a job of this batch give way to the
-- newest such job. A running one's worker notices through lost() (its fenced writes now change
-- nothing), woken by the NOTIFY skucast_cancel the jobs trigger sends at commit.
UPDATE jobs AS o
   SET status = 'cancelled', error = 'superseded by job ' || n.newest, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM (SELECT dataset_id, sku, model_id, method, max(id) AS newest
          FROM jobs WHERE id = ANY (:ids::bigint[])
         GROUP BY dataset_id, sku, model_id, method) AS n
 WHERE o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
   AND o.dataset_id IS NOT DISTINCT FROM n.dataset_id
   AND o.status IN ('pending', 'running') AND o.id < n.newest;
