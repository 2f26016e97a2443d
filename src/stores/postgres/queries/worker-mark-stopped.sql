-- markStopped: a worker that died without saying so (its supervisor saw the process exit: a
-- SIGKILL, a crash) is marked stopped, so /api/health and skucast_workers stop showing it as a
-- stale worker for the day until forget. Fenced on its id and pid: a later process under the same
-- id is not touched. Idempotent: a stopped row (the worker's own last beat) is left as it is. Its
-- counters stay (they are summed as before); its jobs are not touched: they are still `running`
-- under leases no one renews, and maintenance rescues them by lease expiry (job-rescue.sql reads
-- no worker row). running = 0: the process holds nothing any more.
-- Its count of jobs not fitting yet (worker_waiting, 040) goes with it: the process holds none.
WITH marked AS (
  UPDATE workers
     SET status = 'stopped', running = 0
   WHERE worker_id = :workerId AND pid = :pid AND status <> 'stopped'
  RETURNING worker_id
), dropped AS (
  DELETE FROM worker_waiting AS c USING marked WHERE c.worker_id = marked.worker_id
)
SELECT worker_id FROM marked;
