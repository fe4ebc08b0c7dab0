-- Storage per UTC day and instance (seed 002's "daily storage usage", per host).
--   psql "$DSN" -v days=30 -f storage_by_day.sql      (days: how far back; default 30)
-- files, size_gb and total_messages count the instance's storage root; files retention retired
-- (0004/0006) are counted apart: archived_gb (under IB_STREAM_ARCHIVE_PATH), deleted_gb (gone).
\if :{?days} \else \set days 30 \endif

SELECT date(tf.hour_bucket AT TIME ZONE 'UTC') AS date,
       si.instance_name,
       count(*) FILTER (WHERE tf.retention_state IS NULL) AS files,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state IS NULL), 0) / (1024.0 * 1024 * 1024), 3) AS size_gb,
       COALESCE(sum(tf.message_count) FILTER (WHERE tf.retention_state IS NULL), 0) AS total_messages,
       count(*) FILTER (WHERE tf.retention_state IS NOT NULL) AS retired_files,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state = 'archived'), 0) / (1024.0 * 1024 * 1024), 3) AS archived_gb,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state = 'deleted'), 0) / (1024.0 * 1024 * 1024), 3) AS deleted_gb
  FROM tick_files tf
  JOIN server_instances si ON si.id = tf.server_instance_id
 WHERE tf.hour_bucket >= now() - make_interval(days => :days)
 GROUP BY 1, 2
 ORDER BY 1, 2;
