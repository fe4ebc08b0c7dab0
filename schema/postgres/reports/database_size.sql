-- Size of the central database and its tables (seed 004's monitoring queries, for this schema).
--   psql "$DSN" -f database_size.sql
SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size;

SELECT schemaname, tablename,
       pg_size_pretty(pg_total_relation_size(format('%I.%I', schemaname, tablename))) AS size
  FROM pg_tables
 WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
 ORDER BY pg_total_relation_size(format('%I.%I', schemaname, tablename)) DESC;
