-- A worker's cumulative event counts (claimed, completed, failed, retried, fenced, rescued, ...),
-- sent with every heartbeat as JSON, for /metrics (WorkerInfo.counters).
ALTER TABLE workers ADD COLUMN counters TEXT;
