-- migrate-store: the last turn given to each (dataset, priority), as the SQLite file held it, so
-- the next batch of a dataset whose jobs still wait continues after them (job_turns, migration 010).
INSERT INTO job_turns (dataset_key, priority, last_turn)
SELECT * FROM unnest(:datasetKeys::text[], :priorities::integer[], :lastTurns::bigint[]);
