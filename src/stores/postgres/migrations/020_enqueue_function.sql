-- enqueue in one round trip: the steps postgres-enqueue.ts sent one by one (the enqueue lock with
-- the settings, the turn bases, the INSERT, the turn save, the supersede, and BEGIN/COMMIT around
-- them: 7 round trips for a planner's one-job edit, about four fifths of its pickup time) run here,
-- in one call. A plain enqueue calls it as a single autocommit statement: its own transaction, so
-- the advisory lock is still held until the commit, and the NOTIFY of the jobs trigger still goes
-- out at that commit. Callers inside a transaction (createDataset, updateSeries...) call it there.
-- Nothing outlives the call: the lock is transaction-level and the SET clauses are undone when the
-- function returns (safe behind PgBouncer's transaction pooling, as before).
-- The steps, their order and why are those of the query files they replace:
--   * the lock first (a new dataset's first jobs: after their INSERT, enqueueNewDatasetJobs says
--     why), and every statement after it reads a fresh snapshot (a VOLATILE function in READ
--     COMMITTED): whatever committed before the lock was granted is seen;
--   * each job's turn: its (dataset, priority) group's base (after the dataset's last turn when
--     that job still waits, else the head at that priority: claimable now, else lowest pending,
--     else 0), then consecutive within the group in the order given;
--   * the INSERT, in the order given (ids ascend with it), reuse of a completed job's result by
--     input_hash; the jobs trigger counts the rows and sends the targeted NOTIFY at commit;
--   * each group's last turn given to a job that waits is saved (a new dataset: under the lock);
--   * supersede: older active jobs of the same work give way to the batch's newest (a running
--     one's worker hears it through NOTIFY skucast_cancel); a new job takes the earlier turn of
--     the waiting job it replaces, and then the groups' last waiting turns are saved again.
-- work_mem: a 100,000-job INSERT sorts its input, and the default 4 MB spilled to disk. jit off:
-- the per-row reuse probe put a 100,000-job INSERT past the jit cost thresholds, and compiling it
-- took about 200 ms of a 2 s statement to speed up nothing (the work is heap and index inserts).
-- Each (dataset, priority) group's last turn given to a job of the batch that waits (a group with
-- none: nothing), when reuse completed some of the batch or supersede gave some of it the earlier
-- turns of the jobs they replaced. A turn saved at a completed job, or at one no job has any more,
-- would start the dataset's next batch at the head, beside its own waiting jobs.
CREATE FUNCTION save_waiting_turns(ids bigint[], first_id bigint, last_id bigint) RETURNS void
LANGUAGE sql VOLATILE SET search_path FROM CURRENT AS $$
  INSERT INTO job_turns AS t (dataset_key, priority, last_turn)
  SELECT coalesce(dataset_id, ''), priority, max(turn) FROM jobs
   WHERE id BETWEEN first_id AND last_id AND id = ANY (ids) AND status = 'pending'
   GROUP BY coalesce(dataset_id, ''), priority
  ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn;
$$;

CREATE FUNCTION enqueue_jobs(
  p_batch_id text, p_now bigint, p_reuse boolean, p_supersede boolean, p_new_dataset_id text,
  p_group_keys text[], p_group_priorities integer[], p_group_sizes integer[],
  p_groups integer[], p_group_indexes integer[],
  p_dataset_ids text[], p_skus text[], p_model_ids text[], p_methods text[], p_reasons text[],
  p_priorities integer[], p_max_attempts integer[], p_settings text[], p_input_hashes text[],
  OUT first_id bigint, OUT last_id bigint, OUT created bigint, OUT reused bigint, OUT cancelled bigint)
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT SET work_mem = '64MB' SET jit = off AS $$
DECLARE
  bases bigint[];
  ids bigint[];
BEGIN
  cancelled := 0;
  IF p_new_dataset_id IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
  END IF;

  -- Each group's first turn, in the groups' order (the caller numbers the groups and each job's
  -- place in its group: no window or sort over the batch here). Scalar subqueries, not EXISTS:
  -- PostgreSQL may turn an EXISTS into a hashed subplan that reads every pending job (0.9 s with
  -- 300,000 waiting); these are index seeks in jobs_claim (run_at is INCLUDEd) per group.
  SELECT array_agg(CASE WHEN coalesce((SELECT true FROM jobs AS w
                                        WHERE w.status = 'pending' AND w.priority = g.priority AND w.turn = t.last_turn
                                          AND coalesce(w.dataset_id, '') = g.dataset_key LIMIT 1), false)
                        THEN t.last_turn + 1
                        ELSE coalesce((SELECT h.turn FROM jobs AS h
                                        WHERE h.status = 'pending' AND h.priority = g.priority AND h.run_at <= p_now
                                        ORDER BY h.turn LIMIT 1),
                                      (SELECT h.turn FROM jobs AS h WHERE h.status = 'pending' AND h.priority = g.priority
                                        ORDER BY h.turn LIMIT 1), 0)
                   END ORDER BY g.n)
    INTO bases
    FROM unnest(p_group_keys, p_group_priorities) WITH ORDINALITY AS g (dataset_key, priority, n)
    LEFT JOIN job_turns AS t ON t.dataset_key = g.dataset_key AND t.priority = g.priority;

  WITH ins AS (
    INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                      max_attempts, result, settings, input_hash, created_at, updated_at, started_at,
                      finished_at, run_at, turn)
    SELECT p_batch_id, j.dataset_id, j.sku, j.model_id, j.method, j.reason, j.priority,
           CASE WHEN r.id IS NULL THEN 'pending' ELSE 'completed' END,
           CASE WHEN r.id IS NULL THEN 0 ELSE 100 END,
           j.max_attempts, r.result, j.settings::json, j.input_hash, p_now, p_now,
           CASE WHEN r.id IS NULL THEN NULL ELSE p_now END,
           CASE WHEN r.id IS NULL THEN NULL ELSE p_now END,
           p_now, bases[j.grp] + j.idx
      FROM unnest(p_dataset_ids, p_skus, p_model_ids, p_methods, p_reasons, p_priorities, p_max_attempts,
                  p_settings, p_input_hashes, p_groups, p_group_indexes)
           WITH ORDINALITY AS j (dataset_id, sku, model_id, method, reason, priority, max_attempts, settings, input_hash, grp, idx, ord)
      LEFT JOIN LATERAL (SELECT c.id, c.result FROM jobs AS c
                          WHERE p_reuse AND j.input_hash IS NOT NULL
                            AND c.input_hash = j.input_hash AND c.status = 'completed'
                          ORDER BY c.id DESC LIMIT 1) AS r ON true
     ORDER BY j.ord
    RETURNING id, status)
  SELECT min(id), max(id), count(*), count(*) FILTER (WHERE status = 'completed'), array_agg(id)
    INTO first_id, last_id, created, reused, ids
    FROM ins;

  IF p_new_dataset_id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
  END IF;
  IF reused = 0 THEN
    INSERT INTO job_turns AS t (dataset_key, priority, last_turn)
    SELECT g.dataset_key, g.priority, bases[g.n] + g.size - 1
      FROM unnest(p_group_keys, p_group_priorities, p_group_sizes) WITH ORDINALITY AS g (dataset_key, priority, size, n)
    ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn;
  ELSE
    PERFORM save_waiting_turns(ids, first_id, last_id);
  END IF;

  IF NOT p_supersede THEN
    RETURN;
  END IF;
  IF p_new_dataset_id IS NOT NULL THEN
    UPDATE jobs AS o
       SET status = 'cancelled', error = 'superseded by job ' || n.newest, finished_at = p_now, updated_at = p_now,
           lease_token = NULL, lease_expires_at = NULL
      FROM (SELECT sku, model_id, method, max(id) AS newest
              FROM jobs WHERE dataset_id = p_new_dataset_id AND status IN ('pending', 'running')
             GROUP BY sku, model_id, method HAVING count(*) > 1) AS n
     WHERE o.dataset_id = p_new_dataset_id AND o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
       AND o.status IN ('pending', 'running') AND o.id < n.newest;
    GET DIAGNOSTICS cancelled = ROW_COUNT;
    RETURN;
  END IF;

  -- The batch's rows by the range of its ids as well as their list: see job-supersede.sql of
  -- earlier versions and docs/deploy.md (the range makes the planner expect few rows and seek
  -- jobs_active_work per job instead of hashing every active job of the queue).
  WITH n AS (SELECT dataset_id, sku, model_id, method, max(id) AS newest
               FROM jobs WHERE id BETWEEN first_id AND last_id AND id = ANY (ids)
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
     SET status = 'cancelled', error = 'superseded by job ' || old.newest, finished_at = p_now, updated_at = p_now,
         lease_token = NULL, lease_expires_at = NULL
    FROM old
   WHERE o.id = old.id;
  GET DIAGNOSTICS cancelled = ROW_COUNT;

  -- Superseding may have given jobs of the batch the earlier turns of the ones they replaced: the
  -- saved last turn must be one that still waits, or the dataset's next batch would start at the
  -- queue's head beside its own waiting jobs (two turns to every other dataset's one).
  IF cancelled > 0 THEN
    PERFORM save_waiting_turns(ids, first_id, last_id);
  END IF;
END $$;
