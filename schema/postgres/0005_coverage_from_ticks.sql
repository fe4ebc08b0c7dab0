-- ib-recorder central schema, version 5: coverage comes from the ticks that arrived.
--
-- Before, a contract counted as covered for as long as a session that listed it ran: a `run
-- --source http` session nobody posted to, a simulator session whose contract got nothing, or
-- one untracked tick posted once all read as hours of data. The rule now (sync/SYNC.md
-- "Coverage, timeline, gaps"):
--
--   A session covers a contract x tick type from the first tick it stored for it until the
--   session ended (now() while active) - or, where no live upstream kept the stream going
--   (ingest, import and reconstructed sessions, `run --source http`, and contracts the session
--   did not subscribe upstream, i.e. not in its config_snapshot's tracked_contracts), until the
--   last tick it stored - minus its outages (of that tick type, or of all types). A contract is
--   covered where any of its tick types is. Nothing stored = not covered.
--
-- What the session stored comes from what is replicated already: tick_files (first and last
-- tick per contract x tick type x hour, on the session's instance, inside the session's span)
-- and session_contracts.first/last_message_time (per contract: they tighten the files' bounds
-- where an hour's file is shared with another session, and stand in when the files are gone,
-- e.g. deleted by retention). Intervals are half-open [start, end): a single tick covers nothing.
-- Files retention retired (tick_files.retention_state 'deleted'/'archived', 0004) still count
-- here: their rows say the ticks were collected, and that history stays true after the file is
-- gone (0006 keeps them out of the functions that list files to read).
--
-- This migration owns the coverage functions: session_outages, contract_coverage,
-- timeline_pieces, contract_timeline, collection_gaps, servers_at and the session view
-- session_timeline (the old answer: sessions minus outages, whether or not anything came).

CREATE FUNCTION session_outages(p_session_id BIGINT, p_contract_id BIGINT, p_tick_type TEXT)
RETURNS tstzmultirange
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(range_agg(tstzrange(o.outage_start,
                                        GREATEST(o.outage_start, COALESCE(o.outage_end, 'infinity')), '[)')),
                    '{}'::tstzmultirange)
      FROM outages o
     WHERE o.collection_session_id = p_session_id
       AND o.contract_id = p_contract_id
       AND (p_tick_type IS NULL OR o.tick_type IS NULL OR o.tick_type = p_tick_type);
$$;
COMMENT ON FUNCTION session_outages(BIGINT, BIGINT, TEXT) IS 'The union (not the hull) of a session''s outages of a contract that apply to tick type p_tick_type (outages of all types included; p_tick_type NULL = every outage of the contract); an outage still open lasts to infinity (callers clip it to the session).';

CREATE FUNCTION contract_coverage(p_contract_id BIGINT, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (collection_session_id BIGINT, session_span tstzmultirange, session_coverage tstzmultirange,
               coverage tstzmultirange)
-- JIT compiling this plan costs more than running it (measured: 400 ms vs 25 ms for a day).
LANGUAGE sql STABLE SET jit = off AS $$
    WITH win AS (
        -- CASE, not WHERE alone: the planner folds constants and must not build a reversed range.
        SELECT CASE WHEN p_from < p_to THEN tstzmultirange(tstzrange(p_from, p_to, '[)')) END AS r WHERE p_from < p_to
    ), s AS (
        SELECT cs.id, cs.server_instance_id, cs.session_start,
               GREATEST(cs.session_start, COALESCE(cs.session_end, now())) AS stop,
               (cs.session_kind = 'run' AND COALESCE(cs.config_snapshot->>'source', '') <> 'http'
                AND COALESCE(cs.config_snapshot->'tracked_contracts', '[]'::jsonb)
                    @> jsonb_build_array(jsonb_build_object('contract_id', p_contract_id))) AS live,
               sc.first_message_time AS first_tick, sc.last_message_time AS last_tick, sc.tick_types,
               ss.span * win.r AS span
          FROM session_contracts sc
          JOIN collection_sessions cs ON cs.id = sc.collection_session_id
          JOIN session_spans ss ON ss.collection_session_id = cs.id
         CROSS JOIN win
         WHERE sc.contract_id = p_contract_id
           AND NOT isempty(ss.span * win.r)
    ), stored AS (
        -- The session's stored ticks of the contract, per tick type: first and last, from the
        -- instance's files that overlap the session (per session and v2 tick type one range of
        -- the natural key's index: instance, contract, tick type, hour).
        SELECT s.id, k.tick_type, f.first_tick, f.last_tick
          FROM s
         CROSS JOIN (VALUES ('bid_ask'), ('last'), ('all_last'), ('mid_point')) AS k(tick_type)
         CROSS JOIN LATERAL (
               SELECT min(tf.start_time) AS first_tick, max(tf.end_time) AS last_tick
                 FROM tick_files tf
                WHERE tf.server_instance_id = s.server_instance_id AND tf.contract_id = p_contract_id
                  AND tf.tick_type = k.tick_type AND tf.message_count > 0
                  AND tf.hour_bucket > s.session_start - INTERVAL '1 hour' AND tf.hour_bucket <= s.stop
                  AND tf.start_time <= s.stop AND tf.end_time >= s.session_start) f
         WHERE f.first_tick IS NOT NULL
    ), typed AS (
        -- [first tick, session end) for a live stream, else [first tick, last tick); files first,
        -- the session contract's own first/last tick where no file of the contract is known.
        -- (GREATEST / LEAST skip NULLs.)
        SELECT s.id, st.tick_type,
               GREATEST(s.session_start, st.first_tick, s.first_tick) AS lo,
               CASE WHEN s.live THEN s.stop ELSE LEAST(s.stop, st.last_tick, s.last_tick) END AS hi
          FROM s JOIN stored st ON st.id = s.id
        UNION ALL
        SELECT s.id, tt.tick_type, GREATEST(s.session_start, s.first_tick),
               CASE WHEN s.live THEN s.stop ELSE LEAST(s.stop, s.last_tick) END
          FROM s
         CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.tick_types) > 0 THEN s.tick_types
                                        ELSE ARRAY[NULL::TEXT] END) AS tt(tick_type)
         WHERE s.first_tick IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stored st WHERE st.id = s.id)
    ), per_type AS (
        -- Coverage of one tick type: what it stored, inside the span, minus the outages that
        -- apply to it (tick_type NULL = all types).
        SELECT t.id, tstzmultirange(tstzrange(t.lo, GREATEST(t.lo, t.hi), '[)')) * s.span
                     - session_outages(t.id, p_contract_id, t.tick_type) AS cov
          FROM typed t JOIN s ON s.id = t.id
    ), listed AS (
        -- The session view: its span minus the outages of each tick type it listed.
        SELECT s.id, s.span - session_outages(s.id, p_contract_id, tt.tick_type) AS cov
          FROM s
         CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.tick_types) > 0 THEN s.tick_types
                                        ELSE ARRAY[NULL::TEXT] END) AS tt(tick_type)
    )
    SELECT s.id, s.span, l.cov, COALESCE(p.cov, '{}'::tstzmultirange)
      FROM s
      JOIN (SELECT id, range_agg(cov) AS cov FROM listed GROUP BY id) l ON l.id = s.id
      LEFT JOIN (SELECT id, range_agg(cov) AS cov FROM per_type GROUP BY id) p ON p.id = s.id;
$$;
COMMENT ON FUNCTION contract_coverage(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Per session that listed the contract, clipped to [p_from, p_to): session_span = its effective span (session_spans); session_coverage = the span minus the outages of each listed tick type, united (the session view, whether or not ticks came); coverage = where it stored ticks of the contract: per tick type from the first stored tick to the session end (live upstream stream) or to the last stored tick (ingest, import, reconstructed, run --source http, contracts not subscribed upstream), minus that type''s outages, united over tick types. The building block of contract_timeline and collection_gaps.';

CREATE FUNCTION timeline_pieces(p_contract_id BIGINT, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ, p_session_view BOOLEAN)
RETURNS TABLE (instance_name TEXT, host TEXT, port INTEGER, storage_path TEXT,
               collection_session_id BIGINT, piece_start TIMESTAMPTZ, piece_end TIMESTAMPTZ,
               status TEXT, session_kind TEXT)
LANGUAGE sql STABLE AS $$
    SELECT si.instance_name, si.host, si.port, si.storage_path, cs.id,
           lower(piece), upper(piece), cs.status, cs.session_kind
      FROM contract_coverage(p_contract_id, p_from, p_to) c
     CROSS JOIN LATERAL unnest(CASE WHEN p_session_view THEN c.session_coverage ELSE c.coverage END) AS piece
      JOIN collection_sessions cs ON cs.id = c.collection_session_id
      JOIN server_instances si ON si.id = cs.server_instance_id
     ORDER BY lower(piece), si.instance_name, cs.id;
$$;
COMMENT ON FUNCTION timeline_pieces(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ, BOOLEAN) IS 'The rows of contract_timeline (p_session_view false: where ticks were stored) or session_timeline (true: where sessions ran), one per piece of each session''s coverage, with the session''s instance.';

CREATE FUNCTION contract_timeline(p_contract_id BIGINT, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (instance_name TEXT, host TEXT, port INTEGER, storage_path TEXT,
               collection_session_id BIGINT, coverage_start TIMESTAMPTZ, coverage_end TIMESTAMPTZ,
               status TEXT)
LANGUAGE sql STABLE AS $$
    SELECT t.instance_name, t.host, t.port, t.storage_path, t.collection_session_id, t.piece_start, t.piece_end,
           t.status
      FROM timeline_pieces(p_contract_id, p_from, p_to, false) t;
$$;
COMMENT ON FUNCTION contract_timeline(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Who holds data of the contract when, across all instances: one row per covered piece [coverage_start, coverage_end) of each session (from the ticks it stored, outages removed: see contract_coverage), clipped to [p_from, p_to). A session that stored nothing has no row. Overlapping rows of different instances are a blue-green handoff. For the sessions as they ran, whether or not data came, see session_timeline.';

CREATE FUNCTION session_timeline(p_contract_id BIGINT, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (instance_name TEXT, host TEXT, port INTEGER, storage_path TEXT,
               collection_session_id BIGINT, session_start TIMESTAMPTZ, session_end TIMESTAMPTZ,
               status TEXT, session_kind TEXT)
LANGUAGE sql STABLE AS $$
    SELECT * FROM timeline_pieces(p_contract_id, p_from, p_to, true);
$$;
COMMENT ON FUNCTION session_timeline(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ) IS 'The session view: one row per piece [session_start, session_end) of each session that listed the contract (its effective span, session_spans, minus its outages of every listed tick type, united over them), clipped to [p_from, p_to), whether or not any tick came. Compare with contract_timeline (only where ticks were stored) to find sessions that ran without data.';

CREATE FUNCTION collection_gaps(p_contract_id BIGINT, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (gap_start TIMESTAMPTZ, gap_end TIMESTAMPTZ, gap_duration INTERVAL, cause TEXT)
LANGUAGE sql STABLE AS $$
    WITH w AS (
        SELECT CASE WHEN p_from < p_to THEN tstzmultirange(tstzrange(p_from, p_to, '[)')) END AS w
         WHERE p_from < p_to
    ), c AS (
        SELECT COALESCE(range_agg(coverage), '{}') AS covered,
               COALESCE(range_agg(session_span), '{}') AS spans
          FROM contract_coverage(p_contract_id, p_from, p_to)
    ), g AS (
        SELECT w.w - c.covered AS gaps, c.spans FROM w, c
    ), pieces AS (
        SELECT r, 'upstream_outage'::TEXT AS cause FROM g, unnest(g.gaps * g.spans) AS r
        UNION ALL
        SELECT r, 'no_session'::TEXT FROM g, unnest(g.gaps - g.spans) AS r
    )
    SELECT lower(r), upper(r), upper(r) - lower(r), cause FROM pieces ORDER BY lower(r);
$$;
COMMENT ON FUNCTION collection_gaps(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ) IS 'Where no instance holds data of the contract in [p_from, p_to): the range minus the union of all sessions'' coverage (contract_coverage: from stored ticks). cause = upstream_outage where a session listing the contract ran but no data came (its outages, before its first stored tick, after the last stored tick of a source without a live upstream, or nothing at all: upstream down or silent, nobody posting); else no_session (nobody was collecting it). A gap is split where the cause changes.';

CREATE FUNCTION servers_at(p_contract_id BIGINT, p_at TIMESTAMPTZ)
RETURNS TABLE (instance_name TEXT, host TEXT, port INTEGER, storage_path TEXT,
               collection_session_id BIGINT, session_start TIMESTAMPTZ, session_end TIMESTAMPTZ,
               status TEXT)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT x.instance_name, x.host, x.port, x.storage_path, x.id, x.session_start, x.session_end, x.status
      FROM (SELECT DISTINCT ON (si.id)
                   si.instance_name, si.host, si.port, si.storage_path,
                   cs.id, cs.session_start, cs.session_end, cs.status
              FROM session_contracts sc
              JOIN collection_sessions cs ON cs.id = sc.collection_session_id
              JOIN session_spans ss ON ss.collection_session_id = cs.id
              JOIN server_instances si ON si.id = cs.server_instance_id
             WHERE sc.contract_id = p_contract_id
               AND (ss.span @> p_at OR (cs.session_end IS NULL AND cs.session_start <= p_at AND p_at <= now()))
             -- One row per instance (its files hold all its sessions' ticks): its run session
             -- rather than an ingest or import it ran meanwhile, else the earliest.
             ORDER BY si.id, (cs.session_kind = 'run') DESC, cs.session_start, cs.id) x
     ORDER BY x.session_start, x.instance_name;
$$;
COMMENT ON FUNCTION servers_at(BIGINT, TIMESTAMPTZ) IS 'Instances with a session that listed the contract at p_at (session_start <= p_at < session_end; up to and including now() while active; a reconstructed session only where its files hold ticks outside older catalog generations'' sessions, see session_spans), whatever the session''s status now; one row per instance (its run session, else its earliest: an ingest during a run is the same files). session_end is NULL for an active session. Their files are under storage_path on host. This is the session view: for where ticks were actually stored see contract_timeline.';

GRANT EXECUTE ON FUNCTION session_outages(BIGINT, BIGINT, TEXT),
    contract_coverage(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ), timeline_pieces(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ, BOOLEAN),
    servers_at(BIGINT, TIMESTAMPTZ), contract_timeline(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ),
    session_timeline(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ),
    collection_gaps(BIGINT, TIMESTAMPTZ, TIMESTAMPTZ) TO ib_reporter;
