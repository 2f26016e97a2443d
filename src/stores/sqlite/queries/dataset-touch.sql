-- updated_at only ever rises, by 1 ms at least: it is the version a settings change compares
-- (updateSettings' `seen`), so two writes in one millisecond must not leave it equal.
UPDATE datasets SET updated_at = max(:now, updated_at + 1) WHERE id = :id RETURNING frequency, settings;
