-- Whether a dataset still has open (pending or running) jobs, always through jobs_dataset_open.
-- A worker asks this after each job it settles (the snapshot check, datasets/snapshots.ts), and
-- saveSnapshot asks it again. Inline, the planner took it from the statistics, which the store
-- takes after a large enqueue, when nearly every row is pending: it expected the first row it read
-- to match and scanned the table from the start, past every job the workers had finished since
-- (after a 20,000-job drain, 2.2-3.5 ms of server CPU per call against 0.25-0.3 ms through the
-- index; with a million finished jobs kept, a read of the whole table per settled job). No query
-- form holds a plan to that index (the dataset_id equality makes any ORDER BY on it redundant),
-- so the function plans its one statement with sequential scans off; it is not inlined because of
-- that SET.
CREATE FUNCTION dataset_has_open_jobs(dataset text) RETURNS boolean LANGUAGE sql STABLE
  SET search_path FROM CURRENT SET enable_seqscan = off AS $$
  SELECT EXISTS (SELECT 1 FROM jobs WHERE dataset_id = dataset AND status IN ('pending', 'running'))
$$;
