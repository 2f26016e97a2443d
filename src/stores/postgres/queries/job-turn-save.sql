-- enqueue: remembers the last turn given to each (dataset, priority) group of the batch.
INSERT INTO job_turns AS t (dataset_key, priority, last_turn)
SELECT * FROM unnest(:datasetKeys::text[], :priorities::integer[], :lastTurns::bigint[])
ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn;
