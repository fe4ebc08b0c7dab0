-- ib-recorder catalog, schema version 1. One catalog per storage root, one instance per root.
-- Timestamps are TEXT, ISO-8601 UTC with microseconds ('2025-03-10T14:00:00.285000Z'):
-- fixed width, so text order is time order. Dates are 'YYYY-MM-DD'.
-- Every replicated table has change_no: set by the change-tracking triggers (see the end of this
-- file) from change_counter in the same transaction as the change; ib-sync reads rows with
-- change_no above its position.
-- Deletions leave a row in tombstones (natural key as JSON), with its own change_no.

CREATE TABLE catalog_meta (
  key   TEXT PRIMARY KEY,         -- 'generation_id' (random hex, made at creation), 'created_at'
  value TEXT NOT NULL
);

CREATE TABLE change_counter (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE server_instances (
  id             INTEGER PRIMARY KEY,
  instance_name  TEXT NOT NULL UNIQUE,
  server_version TEXT NOT NULL,
  host           TEXT NOT NULL,
  port           INTEGER NOT NULL DEFAULT 0,     -- recorder HTTP port at its latest start (0 until run)
  storage_path   TEXT NOT NULL,
  environment    TEXT NOT NULL,
  tws_client_id  INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  change_no      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE collection_sessions (
  id                       INTEGER PRIMARY KEY,
  server_instance_id       INTEGER NOT NULL REFERENCES server_instances(id),
  session_start            TEXT NOT NULL,
  session_end              TEXT,                        -- NULL while active
  status                   TEXT NOT NULL DEFAULT 'active'
                           CHECK (status IN ('active', 'completed', 'terminated', 'failed')),
  session_kind             TEXT NOT NULL DEFAULT 'run'
                           CHECK (session_kind IN ('run', 'ingest', 'import', 'reconstructed')),
  config_snapshot          TEXT,                        -- JSON, secrets removed
  total_messages_collected INTEGER NOT NULL DEFAULT 0,
  total_storage_bytes      INTEGER NOT NULL DEFAULT 0,
  termination_reason       TEXT,
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL,
  change_no                INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE session_contracts (
  id                    INTEGER PRIMARY KEY,
  collection_session_id INTEGER NOT NULL REFERENCES collection_sessions(id),
  contract_id           INTEGER NOT NULL,
  symbol                TEXT NOT NULL DEFAULT '',
  tick_types            TEXT NOT NULL DEFAULT '[]',   -- JSON array of v2 tick type names
  messages_collected    INTEGER NOT NULL DEFAULT 0,
  storage_bytes         INTEGER NOT NULL DEFAULT 0,
  first_message_time    TEXT,
  last_message_time     TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  change_no             INTEGER NOT NULL DEFAULT 0,
  UNIQUE (collection_session_id, contract_id)
);

CREATE TABLE migration_events (
  id                 INTEGER PRIMARY KEY,
  event_type         TEXT NOT NULL CHECK (event_type IN ('preparation', 'handoff', 'validation', 'rollback')),
  event_status       TEXT NOT NULL CHECK (event_status IN ('started', 'completed', 'failed')),
  source_instance    TEXT,            -- instance_name (other hosts' instances are not rows here)
  target_instance    TEXT,
  event_start        TEXT NOT NULL,
  event_end          TEXT,
  migration_type     TEXT NOT NULL DEFAULT 'blue_green',
  contracts_migrated TEXT NOT NULL DEFAULT '[]',   -- JSON array of contract ids
  validation_results TEXT,                         -- JSON
  notes              TEXT,
  metadata           TEXT,                         -- JSON
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  change_no          INTEGER NOT NULL DEFAULT 0
);

-- One row per tick file, identified by (contract_id, tick_type, hour_bucket, part); file_path is
-- relative to the storage root and changes when the file is sealed (.pb -> .pb.lz4).
CREATE TABLE tick_files (
  id               INTEGER PRIMARY KEY,
  contract_id      INTEGER NOT NULL,
  tick_type        TEXT NOT NULL,
  hour_bucket      TEXT NOT NULL,
  part             INTEGER NOT NULL DEFAULT 1,
  file_path        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sealed')),
  part_reason      TEXT NOT NULL DEFAULT 'first' CHECK (part_reason IN ('first', 'size_split', 'late')),
  start_time       TEXT NOT NULL,    -- first tick timestamp
  end_time         TEXT NOT NULL,    -- last tick timestamp
  file_size_bytes  INTEGER NOT NULL DEFAULT 0,
  message_count    INTEGER NOT NULL DEFAULT 0,
  compression      TEXT NOT NULL DEFAULT 'none',
  checksum         TEXT,             -- sealed: 'xxh32:<hex>' of the LZ4 content; open: NULL
  first_sequence   INTEGER,          -- arrival sequence of the first / last tick
  last_sequence    INTEGER,
  min_price        REAL,
  max_price        REAL,
  total_volume     REAL,             -- sum(size), last / all_last
  price_sum        REAL,             -- sum of the tick's price (see FORMAT.md "price"), for avg_price
  price_count      INTEGER NOT NULL DEFAULT 0,
  notional         REAL,             -- sum(price*size), last / all_last, for VWAP
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  change_no        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (contract_id, tick_type, hour_bucket, part)
);
CREATE INDEX idx_tick_files_contract_time ON tick_files (contract_id, tick_type, hour_bucket);
CREATE INDEX idx_tick_files_hour_bucket ON tick_files (hour_bucket);

CREATE TABLE daily_tick_stats (
  id               INTEGER PRIMARY KEY,
  contract_id      INTEGER NOT NULL,
  tick_type        TEXT NOT NULL,
  date             TEXT NOT NULL,
  total_files      INTEGER NOT NULL,
  total_messages   INTEGER NOT NULL,
  total_size_bytes INTEGER NOT NULL,
  first_tick       TEXT,
  last_tick        TEXT,
  min_price        REAL,
  max_price        REAL,
  avg_price        REAL,
  total_volume     REAL,
  vwap             REAL,             -- last / all_last: sum(price*size)/sum(size)
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  change_no        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (contract_id, tick_type, date)
);

CREATE TABLE contracts (
  contract_id   INTEGER PRIMARY KEY,
  symbol        TEXT NOT NULL DEFAULT '',
  exchange      TEXT,
  currency      TEXT,
  contract_type TEXT,
  first_seen    TEXT,
  last_seen     TEXT,
  active        INTEGER NOT NULL DEFAULT 1,
  tracked       INTEGER NOT NULL DEFAULT 0,   -- in IB_STREAM_TRACKED_CONTRACTS
  tick_types    TEXT NOT NULL DEFAULT '[]',   -- tracked tick types (JSON array)
  buffer_hours  INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  change_no     INTEGER NOT NULL DEFAULT 0
);

-- Lifecycle messages (info / error / complete) per stream, raw message kept.
CREATE TABLE stream_events (
  id                    INTEGER PRIMARY KEY,
  collection_session_id INTEGER REFERENCES collection_sessions(id),
  stream_id             TEXT NOT NULL,
  contract_id           INTEGER,
  tick_type             TEXT,
  event_type            TEXT NOT NULL CHECK (event_type IN ('info', 'error', 'complete', 'connect', 'disconnect')),
  event_time            TEXT NOT NULL,
  code                  TEXT,          -- info: status; error: code; complete: reason
  raw_message           TEXT,          -- the message as received (JSON)
  created_at            TEXT NOT NULL,
  change_no             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_stream_events_session ON stream_events (collection_session_id, event_time);

-- Intervals inside a session when upstream was not delivering a contract's stream.
CREATE TABLE outages (
  id                    INTEGER PRIMARY KEY,
  collection_session_id INTEGER NOT NULL REFERENCES collection_sessions(id),
  contract_id           INTEGER NOT NULL,
  tick_type             TEXT,          -- NULL: all of the contract's tick types
  outage_start          TEXT NOT NULL,
  outage_end            TEXT,          -- NULL while ongoing
  cause                 TEXT NOT NULL, -- 'disconnect', 'error:<code>', 'complete:<reason>'
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  change_no             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_outages_contract ON outages (contract_id, outage_start);

-- Inputs taken by ingest / import (content hash refuses a second ingest without --force).
CREATE TABLE ingested_sources (
  id                    INTEGER PRIMARY KEY,
  content_hash          TEXT NOT NULL,
  source_name           TEXT NOT NULL,
  source_kind           TEXT NOT NULL DEFAULT 'ingest',
  bytes                 INTEGER NOT NULL DEFAULT 0,
  lines                 INTEGER NOT NULL DEFAULT 0,
  accepted              INTEGER NOT NULL DEFAULT 0,
  rejected              INTEGER NOT NULL DEFAULT 0,
  collection_session_id INTEGER REFERENCES collection_sessions(id),
  ingested_at           TEXT NOT NULL,
  change_no             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_ingested_sources_hash ON ingested_sources (content_hash);

-- Rejected input per session and reason.
CREATE TABLE reject_counts (
  id                    INTEGER PRIMARY KEY,
  collection_session_id INTEGER NOT NULL REFERENCES collection_sessions(id),
  reason                TEXT NOT NULL,
  count                 INTEGER NOT NULL DEFAULT 0,
  updated_at            TEXT NOT NULL,
  change_no             INTEGER NOT NULL DEFAULT 0,
  UNIQUE (collection_session_id, reason)
);

CREATE TABLE tombstones (
  id         INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_key    TEXT NOT NULL,      -- JSON object with the row's natural key
  deleted_at TEXT NOT NULL,      -- SQLite's clock at the delete (same fixed-width format); order by change_no
  change_no  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX idx_tombstones_change_no ON tombstones (change_no);

-- Change tracking: the triggers <table>_change_ins / _change_upd / _change_del and the index
-- idx_<table>_change_no of every replicated table above are not written out here. They are the
-- same for each table, so they are generated from one list (table, row key column, natural key)
-- in recorder/catalog/change_tracking.cc, and Catalog::Migrate applies them right after this
-- file, in the same transaction that sets user_version = 1.
