-- job_counts.progress_sum in whole hundredths of a percent: adding and subtracting floats in the
-- triggers drifted (154.70000000000002, and never quite 0 again); integers stay exact.
DROP TRIGGER jobs_counts_update;
DROP TRIGGER jobs_counts_delete;

CREATE TRIGGER jobs_counts_update AFTER UPDATE OF status, progress ON jobs
WHEN OLD.status IS NOT NEW.status OR OLD.progress IS NOT NEW.progress BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - CAST(round(OLD.progress * 100) AS INTEGER)
   WHERE status = OLD.status;
  UPDATE job_counts SET n = n + 1, progress_sum = progress_sum + CAST(round(NEW.progress * 100) AS INTEGER)
   WHERE status = NEW.status;
END;

CREATE TRIGGER jobs_counts_delete AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - CAST(round(OLD.progress * 100) AS INTEGER)
   WHERE status = OLD.status;
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;

UPDATE job_counts
   SET progress_sum = (SELECT coalesce(sum(CAST(round(progress * 100) AS INTEGER)), 0) FROM jobs WHERE jobs.status = job_counts.status);
