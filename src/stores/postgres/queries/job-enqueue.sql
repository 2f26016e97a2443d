-- enqueue: a whole batch in one statement, in the order given (ids ascend with it). A job whose
-- exact input was computed before (same input_hash, a completed job older than the batch) is
-- inserted `completed` at once with a copy of the newest such result (reuse); the others `pending`.
-- The jobs trigger counts them and sends NOTIFY skucast_jobs at commit when one is pending.
-- Enqueues of one schema take turns: the caller holds the advisory lock of job-enqueue-lock.sql
-- (postgres-enqueue.ts) until the transaction ends, taken before any id is drawn. Two batches for
-- the same work enqueued at once would otherwise not see each other's uncommitted rows and both
-- stay pending; serialized, the later one supersedes the earlier (job-supersede.sql runs after
-- this statement, so it sees every batch committed before the lock was granted), as on SQLite.
-- A dataset's first jobs go in before the lock is taken (enqueueNewDatasetJobs says why).
-- Each job's turn (fairness between datasets at one priority, migrations/010_dataset_turns.sql)
-- comes from the adapter, computed from job-turn-bases.sql under the same lock.
INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                  max_attempts, result, settings, input_hash, created_at, updated_at, started_at,
                  finished_at, run_at, turn)
SELECT :batchId::text, j.dataset_id, j.sku, j.model_id, j.method, j.reason, j.priority,
       CASE WHEN r.id IS NULL THEN 'pending' ELSE 'completed' END,
       CASE WHEN r.id IS NULL THEN 0 ELSE 100 END,
       j.max_attempts, r.result, j.settings::json, j.input_hash, :now::bigint, :now::bigint,
       CASE WHEN r.id IS NULL THEN NULL ELSE :now::bigint END,
       CASE WHEN r.id IS NULL THEN NULL ELSE :now::bigint END,
       :now::bigint, j.turn
  FROM unnest(:datasetIds::text[], :skus::text[], :modelIds::text[], :methods::text[], :reasons::text[],
              :priorities::integer[], :maxAttempts::integer[], :settings::text[], :inputHashes::text[], :turns::bigint[])
       WITH ORDINALITY AS j (dataset_id, sku, model_id, method, reason, priority, max_attempts, settings, input_hash, turn, ord)
  LEFT JOIN LATERAL (SELECT c.id, c.result FROM jobs AS c
                      WHERE :reuse::boolean AND j.input_hash IS NOT NULL
                        AND c.input_hash = j.input_hash AND c.status = 'completed'
                      ORDER BY c.id DESC LIMIT 1) AS r ON true
 ORDER BY j.ord
RETURNING id, status;
