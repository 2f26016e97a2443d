-- migrate-store: a chunk of one dataset's series, as they were.
INSERT INTO series (dataset_id, sku, attributes, dates, original, edits, provisional, length, volume, demand_class, updated_at)
SELECT :datasetId, s.sku, s.attributes::json, s.dates::json, s.original::json, s.edits::json, s.provisional::json, s.length, s.volume, s.demand_class, s.updated_at
  FROM unnest(:skus::text[], :attributes::text[], :dates::text[], :originals::text[], :edits::text[], :provisional::text[], :lengths::integer[],
              :volumes::float8[], :demandClasses::text[], :updatedAts::bigint[])
       AS s (sku, attributes, dates, original, edits, provisional, length, volume, demand_class, updated_at);
