-- prune: delete finished jobs (of the given statuses) that finished before :before.
DELETE FROM jobs
 WHERE status IN (SELECT value FROM json_each(:statuses)) AND finished_at < :before;
