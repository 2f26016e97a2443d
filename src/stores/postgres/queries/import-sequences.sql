-- migrate-store: new jobs, snapshots and actuals continue after every id the SQLite file ever
-- gave (:jobs, :snapshots, :actuals from its sqlite_sequence: AUTOINCREMENT never reuses an id,
-- even after a reset deleted them all), not just after the ids left. Job ids are also a clock:
-- a snapshot's mark and an actuals append's mark_before name the newest job id they saw, and a
-- snapshot is due only when a newer job id (or retry mark, 043) appears, so the jobs sequence
-- passes those too.
-- datasets.seq is not copied (renumbered in creation order, its only use): it continues after
-- the copied rows.
WITH top AS (
  SELECT greatest((SELECT max(id) FROM jobs), :jobs::bigint, (SELECT max(mark) FROM snapshots),
                  (SELECT max(mark_before) FROM actuals), (SELECT max(mark) FROM retry_marks)) AS jobs,
         (SELECT max(seq) FROM datasets) AS datasets,
         greatest((SELECT max(seq) FROM actuals), :actuals::bigint) AS actuals,
         greatest((SELECT max(id) FROM snapshots), :snapshots::bigint) AS snapshots
)
SELECT setval(pg_get_serial_sequence('jobs', 'id'), greatest(jobs, 1), coalesce(jobs, 0) >= 1),
       setval(pg_get_serial_sequence('datasets', 'seq'), greatest(datasets, 1), coalesce(datasets, 0) >= 1),
       setval(pg_get_serial_sequence('actuals', 'seq'), greatest(actuals, 1), coalesce(actuals, 0) >= 1),
       setval(pg_get_serial_sequence('snapshots', 'id'), greatest(snapshots, 1), coalesce(snapshots, 0) >= 1)
  FROM top;
