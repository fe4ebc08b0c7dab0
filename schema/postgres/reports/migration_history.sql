-- Blue-green (and other) migrations as the instances recorded them, with their validation results.
--   psql "$DSN" -f migration_history.sql
SELECT me.event_start,
       me.event_type,
       me.event_status,
       COALESCE(src.instance_name, me.source_instance) AS source,
       COALESCE(dst.instance_name, me.target_instance) AS target,
       me.event_end - me.event_start AS took,
       me.contracts_migrated,
       me.validation_results,
       me.notes,
       rec.instance_name AS recorded_by
  FROM migration_events me
  JOIN server_instances rec ON rec.id = me.server_instance_id
  LEFT JOIN server_instances src ON src.id = me.source_server_id
  LEFT JOIN server_instances dst ON dst.id = me.target_server_id
 ORDER BY me.event_start, me.id;
