-- Where each instance's ib-sync is: catalog generation, last change applied, and how long ago.
--   psql "$DSN" -f sync_status.sql
SELECT si.instance_name, si.host, si.environment,
       sp.catalog_generation, sp.last_change_no, sp.pass_no, sp.resend_pending, sp.rows_applied,
       sp.updated_at AS last_batch, now() - sp.updated_at AS since_last_batch
  FROM server_instances si
  LEFT JOIN sync_positions sp ON sp.server_instance_id = si.id
 ORDER BY si.instance_name;
