-- enqueue, when reuse completed some of the batch at once: each (dataset, priority) group's last
-- turn given to a job that waits. A completed one never waits, so a turn saved at it would start
-- the dataset's next batch at the head, beside its own waiting jobs instead of after them.
-- The batch's own rows (by id), only read when reuse took some.
SELECT coalesce(dataset_id, '') AS dataset_key, priority, max(turn) AS last_turn
  FROM jobs
 WHERE id = ANY (:ids::bigint[]) AND status = 'pending'
 GROUP BY coalesce(dataset_id, ''), priority;
