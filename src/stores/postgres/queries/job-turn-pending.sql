-- enqueue, when reuse completed some of the batch at once or supersede gave some of it the
-- earlier turns of the jobs they replaced (job-supersede.sql): each (dataset, priority) group's
-- last turn given to a job that waits. A turn saved at a completed job, or at one no job has any
-- more, would start the dataset's next batch at the head, beside its own waiting jobs instead of
-- after them. The batch's own rows (by id), only read in those two cases.
SELECT coalesce(dataset_id, '') AS dataset_key, priority, max(turn) AS last_turn
  FROM jobs
 WHERE id = ANY (:ids::bigint[]) AND status = 'pending'
 GROUP BY coalesce(dataset_id, ''), priority;
