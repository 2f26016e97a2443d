-- summary of a batch of its own (job-batch-counts.sql): its pending jobs through the claim index,
-- whose key leads with the priority, so every pending entry of the queue is read (narrow entries):
-- chosen where the queue's pending jobs are few beside the batch's range (sqlite-job-reads.ts).
SELECT count(*) AS n
  FROM jobs INDEXED BY jobs_claim
 WHERE status = 'pending' AND id BETWEEN :firstId AND :lastId;
