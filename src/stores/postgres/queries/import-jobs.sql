-- migrate-store: a page of jobs with their ids. A job that was running is handed back as
-- release does (pending at once, the attempt given back): its worker belongs to the old
-- database. Every job keeps its turn (its place among the datasets' jobs at its priority) and its
-- count of expired leases (what a last one's error says: "lease expired N times", or that every
-- attempt ended with its worker gone).
INSERT INTO jobs (id, batch_id, dataset_id, sku, model_id, method, reason, priority, turn, status, progress,
                  attempts, max_attempts, rescues, error, result, settings, input_hash, worker_id,
                  created_at, updated_at, started_at, finished_at, run_at)
SELECT j.id, j.batch_id, j.dataset_id, j.sku, j.model_id, j.method, j.reason, j.priority, j.turn,
       CASE WHEN j.status = 'running' THEN 'pending' ELSE j.status END,
       CASE WHEN j.status = 'running' THEN 0 ELSE j.progress END,
       CASE WHEN j.status = 'running' THEN greatest(j.attempts - 1, 0) ELSE j.attempts END,
       j.max_attempts, j.rescues, j.error, j.result::json, j.settings::json, j.input_hash, j.worker_id,
       j.created_at, j.updated_at, j.started_at, j.finished_at,
       CASE WHEN j.status = 'running' THEN :now::bigint ELSE j.run_at END
  FROM unnest(:ids::bigint[], :batchIds::text[], :datasetIds::text[], :skus::text[], :modelIds::text[],
              :methods::text[], :reasons::text[], :priorities::integer[], :turns::bigint[], :statuses::text[],
              :progresses::float8[], :attempts::integer[], :maxAttempts::integer[], :rescues::integer[], :errors::text[],
              :results::text[], :settings::text[], :inputHashes::text[], :workerIds::text[],
              :createdAts::bigint[], :updatedAts::bigint[], :startedAts::bigint[], :finishedAts::bigint[],
              :runAts::bigint[])
       AS j (id, batch_id, dataset_id, sku, model_id, method, reason, priority, turn, status, progress,
             attempts, max_attempts, rescues, error, result, settings, input_hash, worker_id,
             created_at, updated_at, started_at, finished_at, run_at);
