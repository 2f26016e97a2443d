-- requeue's share of the planning cycle (migration 043), run just before job-requeue.sql in its
-- transaction (one writer: nothing changes between them): each dataset with a job that the requeue
-- will put back to pending gets the value the jobs' AUTOINCREMENT counter gives next as its mark
-- (one value for the retry); the store then bumps the counter when a row was written here. A
-- snapshot is then due again once those jobs settle (snapshots.ts). The WHERE clause below is job-requeue.sql's
-- WHERE clause, taken from that file, so both pick the same jobs; a job of no dataset (no ref)
-- moves no mark. The datasets are found in SQL: the requeued rows never go to the store.
INSERT INTO retry_marks (dataset_id, mark)
SELECT DISTINCT r.dataset_id, (SELECT seq + 1 FROM sqlite_sequence WHERE name = 'jobs')
  FROM jobs AS j JOIN job_datasets AS r ON r.ref = j.dataset_ref
{{where}}
    ON CONFLICT (dataset_id) DO UPDATE SET mark = max(mark, excluded.mark);
