-- deleteSnapshot, in the same transaction: the items of the snapshot snapshot-delete.sql removed.
DELETE FROM snapshot_items WHERE snapshot_id = :id;
