-- Which instance holds ticks of a contract when, across all hosts (from the ticks stored, outages
-- removed; a session that stored nothing is not listed: see session_timeline() for the sessions).
--   psql "$DSN" -v contract_id=711280073 -v from='2025-03-10' -v to='2025-03-11' -f contract_timeline.sql
-- Variables: contract_id (default 711280073), from / to (default: the last 7 days).
\if :{?contract_id} \else \set contract_id 711280073 \endif
\if :{?from} \else \set from `date -u -d '7 days ago' +'%Y-%m-%d %H:%M:%S+00'` \endif
\if :{?to} \else \set to `date -u +'%Y-%m-%d %H:%M:%S+00'` \endif

SELECT instance_name, host, port, coverage_start, coverage_end,
       coverage_end - coverage_start AS covered, status, storage_path
  FROM contract_timeline(:contract_id, :'from', :'to');
