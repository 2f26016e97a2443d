-- A chunk of a dataset's series in one statement. A duplicate SKU violates the primary key:
-- createDataset then rolls back as a whole.
INSERT INTO series (dataset_id, sku, attributes, dates, original, edits, provisional, length, volume, demand_class, updated_at)
SELECT :datasetId, s.sku, s.attributes::json, s.dates::json, s.original::json, s.edits::json, s.provisional::json, s.length, s.volume, s.demand_class, :now::bigint
  FROM unnest(:skus::text[], :attributes::text[], :dates::text[], :originals::text[], :edits::text[], :provisional::text[], :lengths::integer[],
              :volumes::float8[], :demandClasses::text[])
       AS s (sku, attributes, dates, original, edits, provisional, length, volume, demand_class);
