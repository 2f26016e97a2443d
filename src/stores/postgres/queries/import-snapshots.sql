-- migrate-store: a page of snapshots with their ids (links and `--snapshot ID` keep working).
INSERT INTO snapshots (id, dataset_id, mark, cause, created_at, history_end, forecast_start, forecast_end,
                       sku_count, skus_with_forecast, bytes, portfolio)
SELECT s.id, s.dataset_id, s.mark, s.cause, s.created_at, s.history_end, s.forecast_start, s.forecast_end,
       s.sku_count, s.skus_with_forecast, s.bytes, s.portfolio::json
  FROM unnest(:ids::bigint[], :datasetIds::text[], :marks::bigint[], :causes::text[], :createdAts::bigint[],
              :historyEnds::text[], :forecastStarts::text[], :forecastEnds::text[], :skuCounts::integer[],
              :skusWithForecast::integer[], :bytes::bigint[], :portfolios::text[])
       AS s (id, dataset_id, mark, cause, created_at, history_end, forecast_start, forecast_end,
             sku_count, skus_with_forecast, bytes, portfolio);
