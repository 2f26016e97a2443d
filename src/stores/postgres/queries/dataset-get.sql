SELECT * FROM datasets WHERE id = :id;
