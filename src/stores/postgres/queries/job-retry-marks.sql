-- requeue's share of the planning cycle (migration 043): each dataset whose jobs a retry put back
-- to pending gets the next value of the job id sequence as its mark (one value for the retry),
-- drawn under the enqueue lock the retry holds, as enqueue draws job ids. A snapshot is then due
-- again once those jobs settle (snapshots.ts).
INSERT INTO retry_marks (dataset_id, mark)
SELECT d.dataset_id, m.mark
  FROM unnest(:datasetIds::text[]) AS d (dataset_id),
       (SELECT nextval(pg_get_serial_sequence('jobs', 'id')) AS mark) AS m
    ON CONFLICT (dataset_id) DO UPDATE SET mark = greatest(retry_marks.mark, excluded.mark);
