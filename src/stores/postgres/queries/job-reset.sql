-- reset (second step, after cancel): delete every job.
DELETE FROM jobs;
