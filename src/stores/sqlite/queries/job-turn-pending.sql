-- enqueue, when reuse completed some of the batch at once: each (dataset, priority) group's last
-- turn given to a job that waits. A completed one never waits, so a turn saved at it would start
-- the dataset's next batch at the head, beside its own waiting jobs instead of after them.
-- A range of the batch's own rows (by id), only read when reuse took some.
-- job_turns is keyed by the dataset id ('' for none); the rows hold its ref (migration 030).
-- NOT INDEXED: a rowid range. Grouped by dataset_ref, with statistics (a few hundred jobs a
-- dataset) the planner took a skip-scan of jobs_dataset_newest instead, one seek per dataset the
-- jobs ever held (1.8 ms against 0.007 for 10 rows, at 1,000 datasets).
SELECT coalesce((SELECT dataset_id FROM job_datasets AS r WHERE r.ref = p.dataset_ref), '') AS dataset_key, priority, last_turn
  FROM (SELECT dataset_ref, priority, max(turn) AS last_turn
          FROM jobs NOT INDEXED
         WHERE id BETWEEN :firstId AND :lastId AND status = 'pending'
         GROUP BY dataset_ref, priority) AS p;
