SELECT * FROM workers ORDER BY started_at, worker_id;
