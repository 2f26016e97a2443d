-- A SKU's attributes (category, store, region, the parts of a composite key) as a JSON object of
-- strings, written with the series at import (as the SQLite store's 011). Existing series have none.
ALTER TABLE series ADD COLUMN attributes json NOT NULL DEFAULT '{}'::json;
