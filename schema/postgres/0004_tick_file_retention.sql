-- ib-recorder central schema, version 4: retention (issue 12). A tick file an
-- instance's retention deleted or moved to its archive keeps its row (the audit
-- trail), marked with the state and the time, as in the instance's catalog
-- (schema/sqlite/0003). NULL state: the file is in the instance's storage root.
ALTER TABLE tick_files
    ADD COLUMN retention_state TEXT CHECK (retention_state IN ('deleted', 'archived')),
    ADD COLUMN retired_at      TIMESTAMPTZ;
COMMENT ON COLUMN tick_files.retention_state IS 'NULL: the file is in the instance''s storage root; deleted or archived (IB_STREAM_ARCHIVE_PATH, same relative path) by retention at retired_at.';
COMMENT ON COLUMN tick_files.retired_at IS 'When retention deleted or archived the file (NULL while it is present).';
