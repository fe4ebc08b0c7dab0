-- Storage per contract over all instances (seed 002's "top contracts by storage").
--   psql "$DSN" -v days=7 -f storage_by_contract.sql   (days: how far back; default 7)
\if :{?days} \else \set days 7 \endif

SELECT tf.contract_id,
       c.symbol,
       count(DISTINCT tf.server_instance_id) AS instances,
       count(*) AS files,
       round(sum(tf.file_size_bytes) / (1024.0 * 1024), 1) AS size_mb,
       sum(tf.message_count) AS total_ticks
  FROM tick_files tf
  LEFT JOIN contracts c ON c.contract_id = tf.contract_id
 WHERE tf.hour_bucket >= now() - make_interval(days => :days)
 GROUP BY tf.contract_id, c.symbol
 ORDER BY size_mb DESC
 LIMIT 20;
