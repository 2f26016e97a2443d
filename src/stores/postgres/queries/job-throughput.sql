-- Jobs completed since :since by a worker (attempts > 0: reused results took no time), and their mean duration.
SELECT count(*) AS completed, avg(finished_at - started_at)::float8 AS avg
  FROM jobs
 WHERE finished_at >= :since AND status = 'completed' AND attempts > 0;
