-- ib-recorder central schema, version 6: files retention retired (0004's retention_state /
-- retired_at, issue 12) are no longer listed as readable. The rule, for every function and
-- report over tick_files:
--
--   * Locating files to read (get_files_for_range, get_files_to_present, get_files_with_density,
--     so who_had_contract_at.sql too; the federation's "stored" spans): only files still in the
--     instance's storage root (retention_state IS NULL). A deleted file is gone; an archived one
--     sits under IB_STREAM_ARCHIVE_PATH, which the instance does not serve.
--   * Storage (reports/storage_by_contract.sql, storage_by_day.sql): files and size_mb/size_gb
--     count the storage root; archived and deleted bytes are reported in their own columns.
--   * Coverage (0005: session_spans, contract_coverage, contract_timeline, collection_gaps,
--     servers_at) keeps counting retired files: a retired row still says the ticks were
--     collected then, and that history stays true after the file is gone.
--
-- This migration owns seed 002's file helpers (moved here from 0001; a database made by an
-- older 0001 has them, hence the DROP ... IF EXISTS).

DROP FUNCTION IF EXISTS get_files_for_range(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS get_files_to_present(BIGINT, VARCHAR, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS get_files_with_density(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ);

-- The one place that says which files can be read: still in the storage root, overlapping
-- the range (p_end_time 'infinity' = to the present).
CREATE FUNCTION readable_tick_files(
    p_contract_id BIGINT,
    p_tick_type VARCHAR,
    p_start_time TIMESTAMPTZ,
    p_end_time TIMESTAMPTZ
) RETURNS SETOF tick_files LANGUAGE sql STABLE AS $$
    SELECT tf.*
      FROM tick_files tf
     WHERE tf.contract_id = p_contract_id
       AND tf.tick_type = p_tick_type
       AND tf.start_time <= p_end_time
       AND tf.end_time >= p_start_time
       AND tf.retention_state IS NULL  -- retired files cannot be read there
       -- implied by the two above (a file's ticks lie in its hour); lets the index bound the scan
       AND tf.hour_bucket <= p_end_time
       AND tf.hour_bucket > p_start_time - INTERVAL '1 hour';
$$;
COMMENT ON FUNCTION readable_tick_files(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Files of a contract and tick type overlapping [p_start_time, p_end_time] that can be read: still in their instance''s storage root (retention_state NULL). The get_files_* functions list these.';

CREATE FUNCTION get_files_for_range(
    p_contract_id BIGINT,
    p_tick_type VARCHAR,
    p_start_time TIMESTAMPTZ,
    p_end_time TIMESTAMPTZ
) RETURNS TABLE (
    file_path VARCHAR,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    message_count BIGINT,
    instance_name TEXT,
    host TEXT,
    port INTEGER,
    storage_path TEXT
) LANGUAGE sql STABLE AS $$
    SELECT tf.file_path::VARCHAR, tf.start_time, tf.end_time, tf.message_count,
           si.instance_name, si.host, si.port, si.storage_path
      FROM readable_tick_files(p_contract_id, p_tick_type, p_start_time, p_end_time) tf
      JOIN server_instances si ON si.id = tf.server_instance_id
     ORDER BY tf.start_time, si.instance_name, tf.part;
$$;
COMMENT ON FUNCTION get_files_for_range(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Seed 002: files of a contract and tick type overlapping [p_start_time, p_end_time], on every instance; file_path is relative to storage_path on host. During a blue-green overlap both instances'' files are listed. Files retention deleted or archived are not listed.';

CREATE FUNCTION get_files_to_present(
    p_contract_id BIGINT,
    p_tick_type VARCHAR,
    p_start_time TIMESTAMPTZ
) RETURNS TABLE (
    file_path VARCHAR,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    message_count BIGINT,
    is_complete BOOLEAN,
    instance_name TEXT,
    host TEXT,
    port INTEGER,
    storage_path TEXT
) LANGUAGE sql STABLE AS $$
    SELECT tf.file_path::VARCHAR, tf.start_time, tf.end_time, tf.message_count,
           tf.status = 'sealed',
           si.instance_name, si.host, si.port, si.storage_path
      FROM readable_tick_files(p_contract_id, p_tick_type, p_start_time, 'infinity') tf
      JOIN server_instances si ON si.id = tf.server_instance_id
     ORDER BY tf.start_time, si.instance_name, tf.part;
$$;
COMMENT ON FUNCTION get_files_to_present(BIGINT, VARCHAR, TIMESTAMPTZ) IS 'Seed 002: files of a contract and tick type from p_start_time on, on every instance; is_complete = the file is sealed (the seed guessed from end_time < now() - 1 hour). Files retention deleted or archived are not listed.';

CREATE FUNCTION get_files_with_density(
    p_contract_id BIGINT,
    p_tick_type VARCHAR,
    p_start_time TIMESTAMPTZ,
    p_end_time TIMESTAMPTZ
) RETURNS TABLE (
    file_path VARCHAR,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    message_count BIGINT,
    messages_per_minute NUMERIC,
    file_size_mb NUMERIC,
    instance_name TEXT,
    host TEXT,
    port INTEGER,
    storage_path TEXT
) LANGUAGE sql STABLE AS $$
    SELECT tf.file_path::VARCHAR, tf.start_time, tf.end_time, tf.message_count,
           CASE WHEN EXTRACT(EPOCH FROM (tf.end_time - tf.start_time)) > 0
                THEN tf.message_count::NUMERIC / (EXTRACT(EPOCH FROM (tf.end_time - tf.start_time)) / 60)
                ELSE 0 END,
           tf.file_size_bytes::NUMERIC / (1024 * 1024),
           si.instance_name, si.host, si.port, si.storage_path
      FROM readable_tick_files(p_contract_id, p_tick_type, p_start_time, p_end_time) tf
      JOIN server_instances si ON si.id = tf.server_instance_id
     ORDER BY tf.start_time, si.instance_name, tf.part;
$$;
COMMENT ON FUNCTION get_files_with_density(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Seed 002: files overlapping the range with ticks per minute and size in MiB, on every instance. Files retention deleted or archived are not listed.';

COMMENT ON COLUMN tick_files.retention_state IS 'NULL: the file is in the instance''s storage root; deleted or archived (IB_STREAM_ARCHIVE_PATH, same relative path) by retention at retired_at. Retired files are not listed for reading (get_files_*), are reported apart in storage reports, and still count as evidence of collection in coverage (0005).';

GRANT EXECUTE ON FUNCTION readable_tick_files(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ),
    get_files_for_range(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ),
    get_files_to_present(BIGINT, VARCHAR, TIMESTAMPTZ),
    get_files_with_density(BIGINT, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ) TO ib_reporter;
