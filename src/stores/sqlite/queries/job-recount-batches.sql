-- recount: every job inside its batch's id range again. Only enqueue writes job_batches (migrations
-- 028, 030); a row inserted another way (by hand) with an existing batch_ref but outside its range
-- would be missed by every batch filter until this widens the range. A widened range may hold rows
-- of no batch or of others (written by hand between): no longer its own (046).
UPDATE job_batches AS b
   SET first_id = min(b.first_id, r.first_id), last_id = max(b.last_id, r.last_id), own_range = 0
  FROM (SELECT batch_ref, min(id) AS first_id, max(id) AS last_id FROM jobs GROUP BY batch_ref) AS r
 WHERE b.ref = r.batch_ref AND (r.first_id < b.first_id OR r.last_id > b.last_id);
