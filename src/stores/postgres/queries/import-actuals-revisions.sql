-- migrate-store: a page of the values actuals overwrote.
INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value)
SELECT r.actuals_id, r.dataset_id, r.sku, r.date, r.previous, r.value
  FROM unnest(:actualsIds::text[], :datasetIds::text[], :skus::text[], :dates::text[], :previous::float8[], :values::float8[])
       AS r (actuals_id, dataset_id, sku, date, previous, value);
