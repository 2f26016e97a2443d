-- Compare-and-set on updated_at (the dataset's version, see dataset-touch.sql): a change planned
-- from a dataset written since (`seen` older) updates nothing, and the caller plans again.
UPDATE datasets SET settings = :settings::json, updated_at = greatest(:now, updated_at + 1)
 WHERE id = :id AND (:seen::bigint IS NULL OR updated_at = :seen::bigint);
