-- enqueue: the id its first row will get. jobs is AUTOINCREMENT: one more than the larger of the
-- highest id ever given (sqlite_sequence) and the highest id in the table.
SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0), coalesce((SELECT max(id) FROM jobs), 0)) + 1 AS id;
