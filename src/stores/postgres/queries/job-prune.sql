-- prune: delete finished jobs (of the given statuses) that finished before :before.
DELETE FROM jobs
 WHERE status = ANY (:statuses::text[]) AND finished_at < :before;
