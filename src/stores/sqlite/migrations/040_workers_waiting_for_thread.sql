-- What a worker's runner counted as it sent its heartbeat: of the jobs it holds (`running`), how
-- many have not started on one of its threads (prefetched, or still reading their input). The API's
-- summary.waitingForThread sums it over the live workers (queue-progress.ts), where it estimated
-- running - concurrency before. NULL: not reported (a worker older than 040).
-- waiting_for_thread_at is the heartbeat the count belongs to: a worker older than 040 restarted
-- under the same --worker-id (a rollback) moves last_heartbeat_at but never names these columns,
-- so a count left by a newer process is known as stale and not read (workerFromRow).
-- Rolling: nullable columns without a default, no rewrite of the table.
ALTER TABLE workers ADD COLUMN waiting_for_thread INTEGER;
ALTER TABLE workers ADD COLUMN waiting_for_thread_at INTEGER;
