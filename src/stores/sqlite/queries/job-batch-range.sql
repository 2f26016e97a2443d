-- summary by batch: the batch's id range, and whether it holds only the batch's own rows: enqueue
-- wrote it so (own_range, 046: its length then, which any widening since, by an older process too,
-- no longer matches) and no other batch's range overlaps it. job_batches has a row per batch.
SELECT b.first_id, b.last_id,
       b.own_range = b.last_id - b.first_id + 1 AND NOT EXISTS (
         SELECT 1 FROM job_batches AS o WHERE o.ref <> b.ref AND o.first_id <= b.last_id AND o.last_id >= b.first_id
       ) AS own
  FROM job_batches AS b
 WHERE b.batch_id = :batchId;
