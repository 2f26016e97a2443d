-- enqueue_jobs (034) again, its supersede reading the batch's jobs once (`n AS MATERIALIZED`). A
-- settings change of a dataset whose jobs the workers were claiming and finishing (1,000 SKUs,
-- 5,000 jobs to supersede) spent 94-104 s in the supersede's row locking (auto_explain: the join
-- found its 4,228 rows in 0.25 s, LockRows took the rest) while it held the dataset's row, on
-- which the workers' snapshots waited 75-87 s; at 20,000 SKUs it had not ended in 10 minutes.
-- Every one of those rows had been updated by a worker after the statement began, so READ
-- COMMITTED rechecked each (EvalPlanQual), and each recheck ran the batch's side of the join
-- again: its thousands of ids as `id = ANY (ids)`, per row. Materialized, a recheck reads the
-- batch row it joined. Same signature: processes of either version call it alike during a
-- rolling upgrade. docs/deploy.md, "PostgreSQL, twelfth pass".
CREATE OR REPLACE FUNCTION enqueue_jobs(
  p_batch_id text, p_now bigint, p_reuse boolean, p_supersede boolean, p_new_dataset_id text,
  p_group_keys text[], p_group_priorities integer[], p_group_sizes integer[],
  p_groups integer[], p_group_indexes integer[],
  p_dataset_ids text[], p_skus text[], p_model_ids text[], p_methods text[], p_reasons text[],
  p_priorities integer[], p_max_attempts integer[], p_settings text[], p_input_hashes text[],
  p_work_repeats boolean,
  OUT first_id bigint, OUT last_id bigint, OUT created bigint, OUT reused bigint, OUT cancelled bigint)
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT SET work_mem = '64MB' SET jit = off
  SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  bases bigint[];
  ids bigint[];
  n_jobs integer := cardinality(p_skus);
  one_group boolean := cardinality(p_group_keys) = 1;
  -- true: the column's one value is every job's
  same_dataset boolean := n_jobs > 1 AND cardinality(p_dataset_ids) = 1;
  same_model boolean := n_jobs > 1 AND cardinality(p_model_ids) = 1;
  same_method boolean := n_jobs > 1 AND cardinality(p_methods) = 1;
  same_reason boolean := n_jobs > 1 AND cardinality(p_reasons) = 1;
  same_priority boolean := n_jobs > 1 AND cardinality(p_priorities) = 1;
  same_attempts boolean := n_jobs > 1 AND cardinality(p_max_attempts) = 1;
  same_settings boolean := n_jobs > 1 AND cardinality(p_settings) = 1;
  same_hash boolean := n_jobs > 1 AND cardinality(p_input_hashes) = 1;
  dataset_1 text := p_dataset_ids[1];
  model_1 text := p_model_ids[1];
  method_1 text := p_methods[1];
  reason_1 text := p_reasons[1];
  priority_1 integer := p_priorities[1];
  attempts_1 integer := p_max_attempts[1];
  settings_1 json := p_settings[1]::json;
  hash_1 text := p_input_hashes[1];
  -- (034) true: none of the batch's datasets has an open job before it, nothing to supersede
  idle boolean := false;
BEGIN
  cancelled := 0;
  IF p_new_dataset_id IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
    -- (034) Under the lock, before the batch's own rows (see the head of this file). A group key
    -- '' is the jobs of no dataset: never idle. dataset_has_open_jobs reads jobs_dataset_open.
    IF p_supersede AND NOT p_work_repeats THEN
      idle := NOT EXISTS (SELECT 1 FROM unnest(p_group_keys) AS k (dataset_key)
                           WHERE coalesce(k.dataset_key, '') = '' OR dataset_has_open_jobs(k.dataset_key));
    END IF;
  END IF;

  -- (033) Statistics that no longer describe the jobs' statuses (taken before the workers finished
  -- them) make a finished-jobs index look empty, and the INSERT's reuse lookup per job then walked
  -- all of it. A large batch looks first (jobs_statistics_hide, above).
  IF n_jobs >= 2000 AND p_reuse AND jobs_statistics_hide('{completed}') THEN
    PERFORM analyze_jobs_if_free();
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

  -- The shared columns' one-element arrays pad unnest's rows with NULLs (it runs to the longest
  -- array, the SKUs'); the CASEs read the shared value instead. The settings are parsed once.
  WITH ins AS (
    INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                      max_attempts, result, settings, input_hash, created_at, updated_at, started_at,
                      finished_at, run_at, turn)
    SELECT p_batch_id, j.dataset_id, j.sku, j.model_id, j.method, j.reason, j.priority,
           CASE WHEN r.id IS NULL THEN 'pending' ELSE 'completed' END,
           CASE WHEN r.id IS NULL THEN 0 ELSE 100 END,
           j.max_attempts, r.result, j.settings, j.input_hash, p_now, p_now,
           CASE WHEN r.id IS NULL THEN NULL ELSE p_now END,
           CASE WHEN r.id IS NULL THEN NULL ELSE p_now END,
           p_now, bases[j.grp] + j.idx
      FROM (SELECT CASE WHEN same_dataset THEN dataset_1 ELSE u.dataset_id END AS dataset_id, u.sku,
                   CASE WHEN same_model THEN model_1 ELSE u.model_id END AS model_id,
                   CASE WHEN same_method THEN method_1 ELSE u.method END AS method,
                   CASE WHEN same_reason THEN reason_1 ELSE u.reason END AS reason,
                   CASE WHEN same_priority THEN priority_1 ELSE u.priority END AS priority,
                   CASE WHEN same_attempts THEN attempts_1 ELSE u.max_attempts END AS max_attempts,
                   CASE WHEN same_settings THEN settings_1 ELSE u.settings::json END AS settings,
                   CASE WHEN same_hash THEN hash_1 ELSE u.input_hash END AS input_hash,
                   CASE WHEN one_group THEN 1 ELSE u.grp END AS grp,
                   CASE WHEN one_group THEN u.ord - 1 ELSE u.idx END AS idx,
                   u.ord
              FROM unnest(p_skus, p_dataset_ids, p_model_ids, p_methods, p_reasons, p_priorities, p_max_attempts,
                          p_settings, p_input_hashes, p_groups, p_group_indexes)
                   WITH ORDINALITY AS u (sku, dataset_id, model_id, method, reason, priority, max_attempts, settings, input_hash, grp, idx, ord)
             ) AS j
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
    -- The jobs to cancel first, each with its work's newest (one read and sort of the dataset's
    -- open jobs, kept), then those rows by id: the dataset's jobs were read once per job before.
    -- The id list as well as the join: a generic plan takes the dataset for an average one (the
    -- table's rows over its datasets) and, without the list, hashed the CTE against a scan of
    -- the whole table; with it, a seek in jobs_pkey per job to cancel.
    WITH n AS MATERIALIZED (
      SELECT w.id, w.newest
        FROM (SELECT id, max(id) OVER (PARTITION BY sku, model_id, method) AS newest
                FROM jobs WHERE dataset_id = p_new_dataset_id AND status IN ('pending', 'running')) AS w
       WHERE w.id < w.newest)
    UPDATE jobs AS o
       SET status = 'cancelled', error = 'superseded by job ' || n.newest, finished_at = p_now, updated_at = p_now,
           lease_token = NULL, lease_expires_at = NULL
      FROM n
     WHERE o.id = n.id AND o.id = ANY (ARRAY(SELECT id FROM n)) AND o.status IN ('pending', 'running');
    GET DIAGNOSTICS cancelled = ROW_COUNT;
    RETURN;
  END IF;
  IF idle THEN
    RETURN;
  END IF;

  -- (033) The batch's own rows are in no statistics: after an ANALYZE that saw no open job (a
  -- drained queue) the open-jobs indexes look empty, and the planner read all of the batch's
  -- open jobs for each of them. A large batch is counted in before its supersede.
  IF created >= 2000 AND jobs_statistics_hide('{pending,running}') THEN
    PERFORM analyze_jobs_if_free();
  END IF;

  -- The batch's rows by the range of its ids as well as their list: see job-supersede.sql of
  -- earlier versions and docs/deploy.md (the range makes the planner expect few rows and seek
  -- jobs_active_work per job instead of hashing every active job of the queue).
  -- Without repeats each job of the batch is its work's newest: no sort and grouping of the batch.
  WITH n AS MATERIALIZED (SELECT dataset_id, sku, model_id, method, id AS newest
               FROM jobs WHERE id BETWEEN first_id AND last_id AND id = ANY (ids) AND NOT p_work_repeats
             UNION ALL
             SELECT dataset_id, sku, model_id, method, max(id)
               FROM jobs WHERE id BETWEEN first_id AND last_id AND id = ANY (ids) AND p_work_repeats
              GROUP BY dataset_id, sku, model_id, method),
       -- (038) The batch's jobs materialized: see the head of this file.
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
