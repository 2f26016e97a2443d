-- forget (040): counts sent with a heartbeat older than :before. None of them can be read any more
-- (worker-list.sql reads a count only with its row's last heartbeat): either that row is being
-- forgotten too, or it has beaten since. Without a foreign key, so a process older than 040
-- forgetting workers is not refused; the next newer one's forget takes its counts away.
DELETE FROM worker_waiting WHERE heartbeat_at < :before;
