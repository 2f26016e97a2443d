-- migrate-store: the target must be empty (ids are copied as they are: existing rows would clash).
SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM datasets) AS datasets;
