-- enqueue: the last turn given to a dataset at a priority, and whether that job still waits (then
-- the dataset's next batch continues after it; else it starts at the head). A seek in jobs_claim.
SELECT t.last_turn,
       EXISTS (SELECT 1 FROM jobs AS j
                WHERE j.status = 'pending' AND j.priority = t.priority AND j.turn = t.last_turn
                  AND j.dataset_ref IS :datasetRef) AS waiting
  FROM job_turns AS t
 WHERE t.dataset_key = :datasetKey AND t.priority = :priority;
