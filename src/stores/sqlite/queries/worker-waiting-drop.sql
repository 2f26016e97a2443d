-- markStopped: a worker marked stopped holds no job, so its count of jobs not fitting yet goes.
DELETE FROM worker_waiting WHERE worker_id = :workerId;
