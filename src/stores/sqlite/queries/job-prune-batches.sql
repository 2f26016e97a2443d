-- prune (second step): forget the ranges of batches none of whose jobs are left (one seek each).
DELETE FROM job_batches AS b
 WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE id BETWEEN b.first_id AND b.last_id);
