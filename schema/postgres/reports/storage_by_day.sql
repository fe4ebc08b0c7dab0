-- Storage per UTC day and instance (seed 002's "daily storage usage", per host).
--   psql "$DSN" -v days=30 -f storage_by_day.sql      (days: how far back; default 30)
\if :{?days} \else \set days 30 \endif

SELECT date(tf.hour_bucket AT TIME ZONE 'UTC') AS date,
       si.instance_name,
       count(*) AS files,
       round(sum(tf.file_size_bytes) / (1024.0 * 1024 * 1024), 3) AS size_gb,
       sum(tf.message_count) AS total_messages
  FROM tick_files tf
  JOIN server_instances si ON si.id = tf.server_instance_id
 WHERE tf.hour_bucket >= now() - make_interval(days => :days)
 GROUP BY 1, 2
 ORDER BY 1, 2;
