-- enqueue (reuse): new jobs of this batch whose exact input was computed before complete at once
-- with a copy of the newest such result.
UPDATE jobs AS j
   SET status = 'completed', progress = 100, started_at = :now, finished_at = :now,
       result = (SELECT c.result FROM jobs AS c
                  WHERE c.input_hash = j.input_hash AND c.status = 'completed' AND c.id < :firstId
                  ORDER BY c.id DESC LIMIT 1)
 WHERE j.id BETWEEN :firstId AND :lastId AND j.input_hash IS NOT NULL
   AND EXISTS (SELECT 1 FROM jobs AS c
                WHERE c.input_hash = j.input_hash AND c.status = 'completed' AND c.id < :firstId);
