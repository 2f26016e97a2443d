-- migrate-store: a page of actuals appends as they were (seq kept: it orders a dataset's appends).
INSERT INTO actuals (seq, id, dataset_id, batch_id, created_at, mark_before, skus_changed, skus_added, periods_added,
                     values_revised, history_end, report)
SELECT a.seq, a.id, a.dataset_id, a.batch_id, a.created_at, a.mark_before, a.skus_changed, a.skus_added, a.periods_added,
       a.values_revised, a.history_end, a.report::json
  FROM unnest(:seqs::bigint[], :ids::text[], :datasetIds::text[], :batchIds::text[], :createdAts::bigint[],
              :markBefores::bigint[], :skusChanged::integer[], :skusAdded::integer[], :periodsAdded::integer[],
              :valuesRevised::integer[], :historyEnds::text[], :reports::text[])
       AS a (seq, id, dataset_id, batch_id, created_at, mark_before, skus_changed, skus_added, periods_added,
             values_revised, history_end, report);
