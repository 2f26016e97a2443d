-- enqueue (reuse): the newest completed result computed from exactly the same input.
SELECT id, result FROM jobs
 WHERE input_hash = :inputHash AND status = 'completed'
 ORDER BY id DESC LIMIT 1;
