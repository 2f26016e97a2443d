-- recount: every job inside its batch's id range again. Only enqueue writes job_batches (migration
-- 028); a row inserted another way (by hand, or by a process older than 028 on the same file)
-- would be missed by every batch filter until this widens or adds its batch's range.
INSERT INTO job_batches (batch_id, first_id, last_id)
SELECT batch_id, min(id), max(id) FROM jobs WHERE true GROUP BY batch_id
ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id);
