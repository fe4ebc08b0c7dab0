-- Storage per contract over all instances (seed 002's "top contracts by storage").
--   psql "$DSN" -v days=7 -f storage_by_contract.sql   (days: how far back; default 7)
-- files, size_mb and total_ticks count the instances' storage roots; files retention retired
-- (0004/0006) are counted apart: archived_mb (under IB_STREAM_ARCHIVE_PATH), deleted_mb (gone).
\if :{?days} \else \set days 7 \endif

SELECT tf.contract_id,
       c.symbol,
       count(DISTINCT tf.server_instance_id) AS instances,
       count(*) FILTER (WHERE tf.retention_state IS NULL) AS files,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state IS NULL), 0) / (1024.0 * 1024), 1) AS size_mb,
       COALESCE(sum(tf.message_count) FILTER (WHERE tf.retention_state IS NULL), 0) AS total_ticks,
       count(*) FILTER (WHERE tf.retention_state IS NOT NULL) AS retired_files,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state = 'archived'), 0) / (1024.0 * 1024), 1) AS archived_mb,
       round(COALESCE(sum(tf.file_size_bytes) FILTER (WHERE tf.retention_state = 'deleted'), 0) / (1024.0 * 1024), 1) AS deleted_mb
  FROM tick_files tf
  LEFT JOIN contracts c ON c.contract_id = tf.contract_id
 WHERE tf.hour_bucket >= now() - make_interval(days => :days)
 GROUP BY tf.contract_id, c.symbol
 ORDER BY size_mb DESC, archived_mb DESC, tf.contract_id
 LIMIT 20;
