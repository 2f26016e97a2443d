UPDATE datasets SET settings = :settings, updated_at = :now WHERE id = :id;
