-- enqueue: a whole batch in one call of enqueue_jobs (migrations/020_enqueue_function.sql): the
-- enqueue lock, each job's turn, the INSERT with reuse, the turn save and the supersede, in that
-- order, in the caller's transaction (a plain enqueue: this statement alone, in autocommit).
-- The job arrays are one element per job, in the order given (ids ascend with it); the group
-- arrays one per (dataset, priority) group, numbered from 1 in the jobs' :groups.
SELECT first_id, last_id, created, reused, cancelled
  FROM enqueue_jobs(:batchId::text, :now::bigint, :reuse::boolean, :supersede::boolean, :newDatasetId::text,
                    :groupKeys::text[], :groupPriorities::integer[], :groupSizes::integer[],
                    :groups::integer[], :groupIndexes::integer[],
                    :datasetIds::text[], :skus::text[], :modelIds::text[], :methods::text[], :reasons::text[],
                    :priorities::integer[], :maxAttempts::integer[], :settings::text[], :inputHashes::text[]);
