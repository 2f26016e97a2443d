-- enqueue: remembers the last turn given to a dataset at a priority (once per batch and group).
INSERT INTO job_turns (dataset_key, priority, last_turn) VALUES (:datasetKey, :priority, :lastTurn)
ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn;
