-- Collection gaps of every tracked contract this week (Monday 00:00 UTC until now), from the union
-- of all instances' coverage (where ticks were stored). cause: no_session (nobody was collecting)
-- or upstream_outage (a session ran but no data came: an outage, before its first tick, ...).
--   psql "$DSN" -f gaps_this_week.sql
--   psql "$DSN" -v from='2025-03-10' -v to='2025-03-11' -f gaps_this_week.sql
\if :{?from} \else \set from `date -u -d 'monday this week' +'%Y-%m-%d 00:00:00+00' 2>/dev/null || date -u +'%Y-%m-%d 00:00:00+00'` \endif
\if :{?to} \else \set to `date -u +'%Y-%m-%d %H:%M:%S+00'` \endif

SELECT c.contract_id, c.symbol, g.gap_start, g.gap_end, g.gap_duration, g.cause
  FROM contracts c
 CROSS JOIN LATERAL collection_gaps(c.contract_id, :'from', :'to') g
 WHERE c.tracked
 ORDER BY c.contract_id, g.gap_start;
