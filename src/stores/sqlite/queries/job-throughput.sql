-- Jobs completed since :since by a worker (attempts > 0: reused results took no time), their mean duration,
-- and when the first of them started (the pace is measured from there when the run is younger than the window).
SELECT count(*) AS completed, avg(finished_at - started_at) AS avg, min(started_at) AS first_started
  FROM jobs
 WHERE finished_at >= :since AND status = 'completed' AND attempts > 0;
