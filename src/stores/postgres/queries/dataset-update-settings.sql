UPDATE datasets SET settings = :settings::json, updated_at = :now WHERE id = :id;
