-- Whether a dataset still has open (pending or running) jobs, always through jobs_dataset_open.
-- A worker asks this after each job it settles (the snapshot check, datasets/snapshots.ts), and
-- saveSnapshot asks it again. Inline, the planner took it from the statistics, which the store
-- takes after a large enqueue, when nearly every row is pending: it expected the first row it read
-- to match and scanned the table from the start, past every job the workers had finished since
-- (after a 20,000-job drain, 2.2-3.5 ms of server CPU per call against 0.25-0.3 ms through the
-- index; with a million finished jobs kept, a read of the whole table per settled job). Fresh
-- statistics do not save it: with one finished dataset and one pending one, just analyzed (half
-- the rows each), the planner still expects a match within a few rows (it takes dataset and
-- status as independent) and reads all of them to answer false. No query form holds a plan to
-- that index (the dataset_id equality makes any ORDER BY on it redundant), so the function plans
-- its one statement with sequential scans off. The SET is the function's own: undone when it
-- returns, also inside a caller's transaction, so nothing is left on a (pooled) connection.
-- PL/pgSQL, not SQL: a SQL function with a SET is never inlined and parses and plans its body on
-- every call (datasetProgress then took about 150 us of server CPU per call where the inline
-- statement with a good plan took 50); PL/pgSQL keeps the plan for the session (50 us again).
CREATE FUNCTION dataset_has_open_jobs(dataset text) RETURNS boolean LANGUAGE plpgsql STABLE
  SET search_path FROM CURRENT SET enable_seqscan = off AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM jobs WHERE dataset_id = dataset AND status IN ('pending', 'running'));
END
$$;
