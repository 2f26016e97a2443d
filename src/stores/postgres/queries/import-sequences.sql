-- migrate-store: new jobs, datasets, actuals and snapshots continue after the copied ids.
SELECT setval(pg_get_serial_sequence('jobs', 'id'), greatest((SELECT max(id) FROM jobs), 1),
              (SELECT max(id) FROM jobs) IS NOT NULL),
       setval(pg_get_serial_sequence('datasets', 'seq'), greatest((SELECT max(seq) FROM datasets), 1),
              (SELECT max(seq) FROM datasets) IS NOT NULL),
       setval(pg_get_serial_sequence('actuals', 'seq'), greatest((SELECT max(seq) FROM actuals), 1),
              (SELECT max(seq) FROM actuals) IS NOT NULL),
       setval(pg_get_serial_sequence('snapshots', 'id'), greatest((SELECT max(id) FROM snapshots), 1),
              (SELECT max(id) FROM snapshots) IS NOT NULL);
