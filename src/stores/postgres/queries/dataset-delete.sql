-- deleteDataset, last step (its jobs were cancelled, its series and overrides deleted).
DELETE FROM datasets WHERE id = :id;
