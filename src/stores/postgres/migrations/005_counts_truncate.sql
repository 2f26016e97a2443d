-- TRUNCATE jobs (an operator's clean slate) fires no row or statement trigger for DELETE: the
-- counters kept counting jobs that were gone, and summary() said the queue was full. A TRUNCATE
-- trigger zeroes them (and moves the version, so ETags change). `skucast doctor` recounts
-- whatever else may have slipped past the triggers.
CREATE FUNCTION jobs_counts_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM job_counts WHERE backend <> 0;
  UPDATE job_counts SET n = 0, progress_sum = 0 WHERE backend = 0;
  UPDATE queue_version SET version = version + 1 WHERE backend = 0;
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_counts_truncate AFTER TRUNCATE ON jobs
  FOR EACH STATEMENT EXECUTE FUNCTION jobs_counts_truncate();
