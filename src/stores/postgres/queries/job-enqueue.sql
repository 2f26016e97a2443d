-- enqueue: a whole batch in one statement, in the order given (ids ascend with it). A job whose
-- exact input was computed before (same input_hash, a completed job older than the batch) is
-- inserted `completed` at once with a copy of the newest such result (reuse); the others `pending`.
-- The jobs trigger counts them and sends NOTIFY skucast_jobs at commit when one is pending.
-- Enqueues of one schema take turns: the advisory lock is held until the transaction ends (the
-- statement's own, or the caller's). Two batches for the same work enqueued at once would
-- otherwise not see each other's uncommitted rows and both stay pending; serialized, the later one
-- supersedes the earlier (job-supersede.sql runs after this statement, so it sees every batch
-- committed before the lock was granted), as on SQLite, and a batch's ids are contiguous. The
-- lock is taken before any id is drawn: the join needs its row before it yields one.
-- Turns (fairness between datasets at one priority, migrations/010_dataset_turns.sql): per
-- (dataset, priority) group of the batch, a dataset whose last job still waits continues after it;
-- any other starts at the queue's head at that priority (the first entry of jobs_claim). Jobs get
-- consecutive turns within their group, and the group's last turn is remembered in job_turns.
WITH enqueue_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue')) AS granted),
input AS MATERIALIZED (
  SELECT j.*, coalesce(j.dataset_id, '') AS dataset_key
    FROM unnest(:datasetIds::text[], :skus::text[], :modelIds::text[], :methods::text[], :reasons::text[],
                :priorities::integer[], :maxAttempts::integer[], :settings::text[], :inputHashes::text[])
         WITH ORDINALITY AS j (dataset_id, sku, model_id, method, reason, priority, max_attempts, settings, input_hash, ord)
   CROSS JOIN enqueue_lock
),
bases AS MATERIALIZED (
  SELECT g.dataset_key, g.priority, g.n,
         CASE WHEN EXISTS (SELECT 1 FROM jobs AS w
                            WHERE w.status = 'pending' AND w.priority = g.priority AND w.turn = t.last_turn
                              AND coalesce(w.dataset_id, '') = g.dataset_key)
              THEN t.last_turn + 1
              ELSE coalesce((SELECT h.turn FROM jobs AS h WHERE h.status = 'pending' AND h.priority = g.priority
                              ORDER BY h.turn LIMIT 1), 0)
         END AS base
    FROM (SELECT dataset_key, priority, count(*) AS n FROM input GROUP BY dataset_key, priority) AS g
    LEFT JOIN job_turns AS t ON t.dataset_key = g.dataset_key AND t.priority = g.priority
),
turns_saved AS (
  INSERT INTO job_turns AS t (dataset_key, priority, last_turn)
  SELECT dataset_key, priority, base + n - 1 FROM bases
  ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn
)
INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                  max_attempts, result, settings, input_hash, created_at, updated_at, started_at,
                  finished_at, run_at, turn)
SELECT :batchId::text, j.dataset_id, j.sku, j.model_id, j.method, j.reason, j.priority,
       CASE WHEN r.id IS NULL THEN 'pending' ELSE 'completed' END,
       CASE WHEN r.id IS NULL THEN 0 ELSE 100 END,
       j.max_attempts, r.result, j.settings::json, j.input_hash, :now::bigint, :now::bigint,
       CASE WHEN r.id IS NULL THEN NULL ELSE :now::bigint END,
       CASE WHEN r.id IS NULL THEN NULL ELSE :now::bigint END,
       :now::bigint,
       b.base + row_number() OVER (PARTITION BY j.dataset_key, j.priority ORDER BY j.ord) - 1
  FROM input AS j
  JOIN bases AS b ON b.dataset_key = j.dataset_key AND b.priority = j.priority
  LEFT JOIN LATERAL (SELECT c.id, c.result FROM jobs AS c
                      WHERE :reuse::boolean AND j.input_hash IS NOT NULL
                        AND c.input_hash = j.input_hash AND c.status = 'completed'
                      ORDER BY c.id DESC LIMIT 1) AS r ON true
 ORDER BY j.ord
RETURNING id, status;
