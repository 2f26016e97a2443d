-- A dataset's ref (migration 030), for a filter by dataset (job-rows.ts, jobFilterSql) and for
-- enqueue; no row: no job ever held that dataset id.
SELECT ref FROM job_datasets WHERE dataset_id = :datasetId;
