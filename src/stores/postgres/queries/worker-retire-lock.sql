-- retire, first statement (heartbeat): lock this id's row, if there is one, before it is judged.
-- A statement of its own, so that worker-retire.sql, which judges the row, runs on a snapshot
-- taken after the lock was granted. Judged in the statement that waited, a beat of the row's owner
-- committed meanwhile showed its new `workers` row (the lock's recheck) beside the worker_heard row
-- of the statement's older snapshot, which no longer matched it: the row then read as having no
-- heard row, was judged on the two hosts' clocks, and a live later start's row was taken over by
-- an earlier start whose clock ran a minute ahead.
SELECT 1 AS locked FROM workers WHERE worker_id = :workerId FOR UPDATE;
