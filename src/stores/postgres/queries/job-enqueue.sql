-- enqueue: a whole batch in one call of enqueue_jobs (migrations/021_enqueue_shared_fields.sql): the
-- enqueue lock, each job's turn, the INSERT with reuse, the turn save and the supersede, in that
-- order, in the caller's transaction (a plain enqueue: this statement alone, in autocommit).
-- The job arrays are one element per job, in inKeyOrder (postgres-enqueue.ts; ids ascend with it), or one element
-- for all when every job has that value (all but :skus may); the group arrays one per (dataset,
-- priority) group, numbered from 1 in the jobs' :groups (:groups and :groupIndexes empty when there
-- is one group). :workRepeats: whether two jobs of the batch are the same work (supersede groups them).
-- The overload of migrations/021_enqueue_shared_fields.sql (the one of 020 takes no :workRepeats).
SELECT first_id, last_id, created, reused, cancelled
  FROM enqueue_jobs(:batchId::text, :now::bigint, :reuse::boolean, :supersede::boolean, :newDatasetId::text,
                    :groupKeys::text[], :groupPriorities::integer[], :groupSizes::integer[],
                    :groups::integer[], :groupIndexes::integer[],
                    :datasetIds::text[], :skus::text[], :modelIds::text[], :methods::text[], :reasons::text[],
                    :priorities::integer[], :maxAttempts::integer[], :settings::text[], :inputHashes::text[],
                    :workRepeats::boolean);
