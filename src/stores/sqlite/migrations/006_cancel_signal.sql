-- Another process's cancel must reach a worker as a 'cancel' wake (it then asks lost() at once).
-- PRAGMA data_version only says "something changed": this counter says a job was cancelled.
ALTER TABLE queue_meta ADD COLUMN cancels INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER jobs_cancel_signal AFTER UPDATE OF status ON jobs
WHEN NEW.status = 'cancelled' AND OLD.status IS NOT 'cancelled' BEGIN
  UPDATE queue_meta SET cancels = cancels + 1 WHERE id = 1;
END;
