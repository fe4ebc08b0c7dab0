-- Retention (issue 12): a tick file that retention deleted or moved to the
-- archive keeps its catalog row as the audit trail, marked with the state and
-- the time. NULL state: the file is in the storage root. Readers (queries,
-- federation, verify) skip retired rows; ib-sync carries the change.
ALTER TABLE tick_files ADD COLUMN retention_state TEXT CHECK (retention_state IN ('deleted', 'archived'));
ALTER TABLE tick_files ADD COLUMN retired_at TEXT;  -- when retention deleted or archived the file
CREATE INDEX idx_tick_files_retired ON tick_files (retention_state) WHERE retention_state IS NOT NULL;
