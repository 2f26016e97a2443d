-- A name a planner gives a snapshot ("S&OP Dec"), to find it again and score it later
-- (docs/planning-cycle.md, "Snapshots"). Naming labels a snapshot already kept: it takes no other
-- (one snapshot per (dataset, mark) stays the rule). No row: the snapshot has no name; clearing a
-- name deletes its row. A table beside `snapshots`, as PostgreSQL's 045 (where a new column of
-- `snapshots` breaks the `SELECT *` older processes have prepared): `snapshots` keeps its shape in
-- both stores. The foreign key takes the name with its snapshot, whoever deletes it (a process older
-- than 045 included). 1 to 120 characters, trimmed by the caller (nameSnapshot).
CREATE TABLE snapshot_names (
  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL CHECK (length(name) >= 1 AND length(name) <= 120)
);
