-- A heartbeat's count of held jobs not fitting yet (migration 040), after worker-heartbeat.sql in
-- the same transaction: dated by the beat, and written only if that beat is now the row's (not one
-- an older start or a later beat kept out). worker-list.sql reads it only with that heartbeat.
INSERT INTO worker_waiting (worker_id, waiting_for_thread, heartbeat_at)
SELECT worker_id, :waitingForThread, last_heartbeat_at FROM workers
 WHERE worker_id = :workerId AND started_at = :startedAt AND last_heartbeat_at = :lastHeartbeatAt
ON CONFLICT (worker_id) DO UPDATE SET waiting_for_thread = excluded.waiting_for_thread, heartbeat_at = excluded.heartbeat_at;
