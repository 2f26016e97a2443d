UPDATE datasets SET updated_at = :now WHERE id = :id;
