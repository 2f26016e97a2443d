-- A name a planner gives a snapshot ("S&OP Dec"), to find it again and score it later
-- (docs/planning-cycle.md, "Snapshots"). Naming labels a snapshot already kept: it takes no other
-- (one snapshot per (dataset, mark) stays the rule). No row: the snapshot has no name; clearing a
-- name deletes its row. A table beside `snapshots`, not a column of it, for 040's and 042's reason:
-- a process older than 045 reads `snapshots` with `SELECT *` on its pooled connections, and a new
-- column changes that statement's result type (0A000 cached plan must not change result type), so
-- the upgrade is rolling. The foreign key takes the name with its snapshot, whoever deletes it (a
-- process older than 045 included). 1 to 120 characters, trimmed by the caller (nameSnapshot).
CREATE TABLE snapshot_names (
  snapshot_id bigint PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
  name        text   NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120)
);
