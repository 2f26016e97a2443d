-- recount: the true counts per status (and progress in hundredths), from the rows.
SELECT status, count(*) AS n, coalesce(sum(CAST(round(progress * 100) AS INTEGER)), 0) AS progress_sum
  FROM jobs GROUP BY status;
