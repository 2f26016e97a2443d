-- enqueue, before a piece of a batch goes in (one INSERT's rows: one dataset, in SKU order): can
-- supersede find anything for it? Only an open job of the piece's dataset, older than the batch
-- (id below :before), whose SKU lies in the piece's span (:low and :high, its least and greatest
-- SKU in the column's BINARY order). A walk of jobs_work over that span, from the index alone
-- (dataset_ref, sku, status and the rowid are in it), of at most :budget entries (the piece's
-- size), every entry counted toward it: finished jobs are in the span too (status is the key's last
-- column), and so are the batch's own earlier rows (a test on the id in the WHERE would step over
-- them uncounted, a walk without bound when many small runs span a big one). Past the budget the
-- answer is "maybe". Where `open` is 0 and `walked` is under the budget, the piece's rows skip
-- supersede's seeks (job-supersede.sql, one per row); a batch of SKUs new to a dataset with open
-- jobs elsewhere then pays one short walk per 2,048 rows instead of a seek per row.
-- The walk stops at the first open entry (EXISTS over the walk, a co-routine): a re-import of a
-- dataset's open SKUs finds one at once. Only when none is open is the span counted, by a second
-- walk, to tell "no" (under the budget) from "maybe".
WITH span AS NOT MATERIALIZED (SELECT status, id FROM jobs INDEXED BY jobs_work
                                WHERE dataset_ref IS :datasetRef AND sku BETWEEN :low AND :high
                                LIMIT +:budget)
SELECT open, CASE WHEN open THEN 0 ELSE (SELECT count(*) FROM span) END AS walked
  FROM (SELECT EXISTS (SELECT 1 FROM span WHERE status >= 'pending' AND id < :before) AS open);
