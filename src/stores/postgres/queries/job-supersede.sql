-- supersede: older pending/running jobs for the same work as a job of this batch give way to the
-- newest such job. A running one's worker notices through lost() (its fenced writes now change
-- nothing), woken by the NOTIFY skucast_cancel the jobs trigger sends at commit.
-- A new job that replaces a job still waiting at the same priority takes that job's turn when it
-- is earlier (inherit): a dataset re-enqueued over its own waiting jobs keeps its place between
-- the other datasets instead of going behind every turn they were given meanwhile. The rows are
-- read and locked once (old), so the cancel and the inherit see the same set.
-- The batch's rows are read by the range of its ids (firstId..lastId: the batch's min and max) as
-- well as their list. The list alone decides which rows are the batch's: ids are not consecutive
-- (a new dataset's import draws ids without the enqueue lock, interleaved with this batch's), so
-- the range only narrows. Why it is there: with the list alone the planner expects the batch's
-- 100,000 rows and hashes every active job of the queue to join them (2.0 s with a million
-- waiting); with the range it expects far fewer (its selectivity times the list's: 913 for
-- 100,000), seeks jobs_active_work per job instead (0.6 s), and drops other rows on the cheap
-- range test before probing the hashed list. The plan rests on that underestimate (docs/deploy.md).
WITH n AS (SELECT dataset_id, sku, model_id, method, max(id) AS newest
             FROM jobs WHERE id BETWEEN :firstId::bigint AND :lastId::bigint AND id = ANY (:ids::bigint[])
            GROUP BY dataset_id, sku, model_id, method),
     old AS MATERIALIZED (
       SELECT o.id, o.status, o.priority, o.turn, n.newest
         FROM jobs AS o JOIN n ON o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
                              AND o.dataset_id IS NOT DISTINCT FROM n.dataset_id
        WHERE o.status IN ('pending', 'running') AND o.id < n.newest
          FOR UPDATE OF o),
     inherit AS (
       UPDATE jobs AS j SET turn = w.turn
         FROM (SELECT newest, priority, min(turn) AS turn FROM old WHERE status = 'pending' GROUP BY newest, priority) AS w
        WHERE j.id = w.newest AND j.priority = w.priority AND j.status = 'pending' AND w.turn < j.turn)
UPDATE jobs AS o
   SET status = 'cancelled', error = 'superseded by job ' || old.newest, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM old
 WHERE o.id = old.id;
