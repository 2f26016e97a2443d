-- migrate-store: new jobs and datasets continue after the copied ids.
SELECT setval(pg_get_serial_sequence('jobs', 'id'), greatest((SELECT max(id) FROM jobs), 1),
              (SELECT max(id) FROM jobs) IS NOT NULL),
       setval(pg_get_serial_sequence('datasets', 'seq'), greatest((SELECT max(seq) FROM datasets), 1),
              (SELECT max(seq) FROM datasets) IS NOT NULL);
