-- prune (second step): forget the ranges of batches none of whose jobs are left. NOT INDEXED: a
-- rowid range probe per batch; with statistics and few datasets the planner preferred a
-- skip-scan of jobs_dataset_newest.
DELETE FROM job_batches AS b
 WHERE NOT EXISTS (SELECT 1 FROM jobs NOT INDEXED WHERE id BETWEEN b.first_id AND b.last_id);
