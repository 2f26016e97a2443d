-- Jobs completed since :since by a worker (attempts > 0: reused results took no time), their mean duration,
-- when the first of them started and the last finished (both written by workers: the pace of a run younger than
-- the window is measured between them, on the workers' clocks alone).
SELECT count(*) AS completed, avg(finished_at - started_at)::float8 AS avg, min(started_at)::float8 AS first_started, max(finished_at)::float8 AS last_finished
  FROM jobs
 WHERE finished_at >= :since AND status = 'completed' AND attempts > 0;
