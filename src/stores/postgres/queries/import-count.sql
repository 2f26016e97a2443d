-- migrate-store: the target must be empty (ids are copied as they are: existing rows would
-- clash, and a leftover table would fail midway on a raw unique-key error). Every table the
-- copy writes, in the order the refusal names them.
SELECT (SELECT count(*) FROM jobs)::int AS jobs,
       (SELECT count(*) FROM datasets)::int AS datasets,
       (SELECT count(*) FROM series)::int AS series,
       (SELECT count(*) FROM overrides)::int AS overrides,
       (SELECT count(*) FROM snapshots)::int AS snapshots,
       (SELECT count(*) FROM snapshot_items)::int AS snapshot_items,
       (SELECT count(*) FROM snapshot_item_status)::int AS snapshot_item_status,
       (SELECT count(*) FROM snapshot_names)::int AS snapshot_names,
       (SELECT count(*) FROM actuals)::int AS actuals,
       (SELECT count(*) FROM actuals_revisions)::int AS actuals_revisions,
       (SELECT count(*) FROM retry_marks)::int AS retry_marks,
       (SELECT count(*) FROM job_turns)::int AS job_turns;
