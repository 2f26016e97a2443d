-- reset (third step): every job is gone, and so is every batch's range.
DELETE FROM job_batches;
