-- jobs' CHECK (status IN (five statuses)), from 001, spelled as comparisons, for the reason 024
-- gives: a CHECK is evaluated against each row an INSERT or UPDATE writes, and its IN list built a
-- temporary b-tree every time: about 6,800 instructions of each enqueued job (13% of a 50,000-job
-- enqueue) and 11,600 of each claim and complete (callgrind; docs/deploy.md, "Status lists as
-- comparisons"). Same meaning, the same five values.
-- The constraint has no name, so ALTER TABLE ... DROP CONSTRAINT cannot reach it; rebuilding the
-- table would copy every job. A CHECK lives only in the schema's text (no row or page holds it), and
-- SQLite documents editing that text for a CHECK change (lang_altertable.html, "Making Other Kinds
-- Of Table Schema Changes"): migrateSqlite runs this file as a schema edit (sqlite-migrate.ts,
-- editsSchema), with the connection's defensive mode off, then raises schema_version so that every
-- connection parses the schema again, and checks that the new text parses and still refuses an
-- unknown status before the transaction commits. A file whose CHECK reads otherwise is left as it is.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
     'CHECK (status IN (''pending'', ''running'', ''completed'', ''failed'', ''cancelled''))',
     'CHECK (status = ''pending'' OR status = ''running'' OR status = ''completed'' OR status = ''failed'' OR status = ''cancelled'')')
 WHERE type = 'table' AND name = 'jobs';
PRAGMA writable_schema = OFF;
