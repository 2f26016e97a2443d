-- Compare-and-set on updated_at (the dataset's version, see dataset-touch.sql): a change planned
-- from a dataset written since (`seen` older) updates nothing, and the caller plans again.
UPDATE datasets SET settings = :settings, updated_at = max(:now, updated_at + 1)
 WHERE id = :id AND (:seen IS NULL OR updated_at = :seen);
