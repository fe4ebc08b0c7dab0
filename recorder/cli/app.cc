// ib-recorder subcommand table (CLI11). Each subcommand lives in its own file.
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/backup_command.h"
#include "cli/config_command.h"  // config check|show|template|table (owner: config)
#include "cli/export_command.h"
#include "cli/import_command.h"  // import (owner: legacy)
#include "cli/ingest_command.h"
#include "cli/migrate_command.h"  // migrate, validate-migration (owner: ops-migrate)
#include "cli/query_command.h"
#include "cli/rebuild_catalog_command.h"
#include "cli/restore_command.h"
#include "cli/retention_command.h"
#include "cli/run_command.h"  // run (owner: daemon)
#include "cli/simulate_command.h"  // simulate (owner: ingest)
#include "cli/simulate_serve_command.h"  // simulate --serve (owner: daemon sse source)
#include "cli/verify_command.h"
#include "common/clock.h"

namespace ibr::cli {
namespace {

// The time range options of `query` (and `export`, which takes the same ones).
void AddRangeOptions(CLI::App& cmd, QueryOptions& q) {
  cmd.add_option("--start", q.start, "Range start, ISO-8601 (UTC unless it has an offset)");
  cmd.add_option("--end", q.end, "Range end, exclusive (default: now)");
  cmd.add_option("--last", q.last, "Range: the last DURATION (1w, 3h, 2h30m, 90s)");
  cmd.add_flag("--today", q.today, "Range: since 00:00 UTC today");
  cmd.add_flag("--since-open", q.since_open, "Range: since the latest regular-session open of --market");
  cmd.add_option("--session", q.session, "Range: a session of --market on --date (regular, pre_market, ...)");
  cmd.add_option("--date", q.date, "Session date YYYY-MM-DD (default: today in the market's zone)");
  cmd.add_option("--previous-sessions", q.previous_sessions, "Range: the last N sessions on trading days");
  cmd.add_option("--session-type", q.session_type, "Session type for --previous-sessions (default: regular)");
  cmd.add_option("--market", q.market, "US (default), UK or JP");
}

}  // namespace

int RunApp(int argc, char** argv) {
  CLI::App app{"ib-recorder: records IB-Stream v2 ticks into hourly protobuf files with a SQLite catalog"};
  app.require_subcommand(1);
  app.set_version_flag("--version", IBR_VERSION);
  const Clock& clock = SystemClock::Instance();
  int exit_code = 0;

  // --- ingest ---
  IngestOptions ingest;
  auto* ingest_cmd = app.add_subcommand("ingest", "Ingest v2 NDJSON (a file or - for stdin) into a storage root");
  ingest_cmd->add_option("--storage", ingest.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  ingest_cmd->add_option("--instance-name", ingest.instance_name, "Instance owning the root (default: $IB_STREAM_INSTANCE_NAME or {environment}-{hostname})");
  ingest_cmd->add_flag("--json", ingest.json, "Print the summary as JSON");
  ingest_cmd->add_flag("--force", ingest.force, "Ingest even if this content was ingested before");
  ingest_cmd->add_option("input", ingest.input, "NDJSON file, or - for stdin")->capture_default_str();
  ingest_cmd->callback([&] { exit_code = RunIngest(ingest, clock); });

  // --- import (owner: legacy module; logic in cli/import_command.cc) ---
  ImportOptions import_opts;
  auto* import_cmd = app.add_subcommand("import", "Import a Python ib-stream storage tree (v2/v3, JSON/protobuf) into a storage root");
  import_cmd->add_option("--from", import_opts.from, "The ib-stream storage directory (json/, protobuf/, v2/, v3/ below it)")->required();
  import_cmd->add_option("--storage", import_opts.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  import_cmd->add_option("--instance-name", import_opts.instance_name, "Instance owning the root (default: $IB_STREAM_INSTANCE_NAME or {environment}-{hostname})");
  import_cmd->add_flag("--json", import_opts.json, "Print the report as JSON");
  import_cmd->add_flag("--force", import_opts.force, "Read the tree even if it was imported before (stored ticks are still not stored twice)");
  import_cmd->footer("Exit codes: 0 read to its end; 1 could not store or read; 2 usage; 3 refused: already imported");
  import_cmd->callback([&] { exit_code = RunImport(import_opts, clock); });

  // --- verify ---
  VerifyOptions verify;
  auto* verify_cmd = app.add_subcommand("verify", "Check every tick file against its checksum and the catalog");
  verify_cmd->add_option("--storage", verify.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  verify_cmd->add_flag("--repair", verify.repair,
                       "Recover: cut torn tails, finish seals, fix the catalog, remove empty files, adopt orphan files (takes the lock)");
  verify_cmd->add_flag("--json", verify.json, "Print the report as JSON (problems with their kind; empty/orphan counts)");
  verify_cmd->footer("Exit codes: 0 consistent (after --repair: made consistent); 1 problems found (each listed with "
                     "what --repair does); 2 usage or I/O error");
  verify_cmd->callback([&] { exit_code = RunVerify(verify, clock); });

  // --- rebuild-catalog ---
  RebuildCatalogOptions rebuild;
  auto* rebuild_cmd = app.add_subcommand("rebuild-catalog", "Rebuild the file-derived catalog tables from the files");
  rebuild_cmd->add_option("--storage", rebuild.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  rebuild_cmd->add_option("--instance-name", rebuild.instance_name, "Instance name when the catalog is missing");
  rebuild_cmd->callback([&] { exit_code = RunRebuildCatalog(rebuild, clock); });

  // --- backup / restore (logic in cli/backup_command.cc, cli/restore_command.cc) ---
  BackupOptions backup;
  auto* backup_cmd = app.add_subcommand("backup", "Copy a storage root consistently, beside its running recorder (reader: takes no lock)");
  backup_cmd->add_option("--storage", backup.storage, "Storage root to copy (default: $IB_STREAM_STORAGE_PATH)");
  backup_cmd->add_option("--to", backup.to, "A new or empty directory for the copy")->required();
  backup_cmd->add_flag("--json", backup.json, "Print the report as JSON");
  backup_cmd->footer("Exit codes: 0 copied and the copy verifies; 1 could not copy, or the copy does not verify; "
                     "2 usage (no such storage root, --to not empty)");
  backup_cmd->callback([&] { exit_code = RunBackup(backup, clock); });
  RestoreOptions restore;
  auto* restore_cmd = app.add_subcommand("restore", "Put a backup in place as a storage root (new or empty directory; no running writer)");
  restore_cmd->add_option("--from", restore.from, "A directory made by `ib-recorder backup`")->required();
  restore_cmd->add_option("--storage", restore.storage, "Storage root to create (default: $IB_STREAM_STORAGE_PATH)");
  restore_cmd->add_flag("--json", restore.json, "Print the report as JSON");
  restore_cmd->footer("Exit codes: 0 restored; 1 could not (I/O, the backup does not verify); 2 usage (--from is not a "
                      "backup); 3 refused: the storage root is not empty or a running writer holds its lock");
  restore_cmd->callback([&] { exit_code = RunRestore(restore, clock); });

  // --- retention (logic in cli/retention_command.cc) ---
  RetentionOptions retention;
  auto* retention_cmd = app.add_subcommand(
      "retention", "Delete (or move to IB_STREAM_ARCHIVE_PATH) sealed files older than IB_STREAM_RETENTION_DAYS[_<TICK TYPE>]");
  retention_cmd->add_option("--storage", retention.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  retention_cmd->add_flag("--dry-run", retention.dry_run, "Only report what would go (a reader: takes no lock)");
  retention_cmd->add_flag("--json", retention.json, "Print the report as JSON");
  retention_cmd->footer("Exit codes: 0 done (also when nothing expired); 1 could not (another writer holds the root, "
                        "I/O, some files could not be removed); 2 usage or a bad setting");
  retention_cmd->callback([&] { exit_code = RunRetention(retention, clock); });

  // --- simulate (owner: ingest module; logic in cli/simulate_command.cc) ---
  SimulateOptions simulate;
  auto* simulate_cmd = app.add_subcommand("simulate", "Write synthetic v2 tick lines (NDJSON) to stdout, deterministic per seed");
  // Not ->required(): --serve makes it optional; RunSimulate still refuses an empty one (exit 2).
  simulate_cmd->add_option("--contracts", simulate.contracts, "ID:SYMBOL[,ID:SYMBOL...], e.g. 711280073:MNQ,265598:AAPL");
  simulate_cmd->add_option("--tick-types", simulate.tick_types, "Comma-separated: bid_ask, last, all_last, mid_point (default: all)");
  simulate_cmd->add_option("--rate", simulate.rate, "Ticks per second per contract")->capture_default_str();
  simulate_cmd->add_option("--start", simulate.start, "First tick time, ISO-8601 (default: now, rounded down to the minute)");
  simulate_cmd->add_option("--duration", simulate.duration, "How much time to simulate: N(w|d|h|m|s)")->capture_default_str();
  simulate_cmd->add_option("--seed", simulate.seed, "Random seed: the same seed gives the same bytes")->capture_default_str();
  // --serve ADDR (owner: daemon sse source; logic in cli/simulate_serve_command.cc): serve the stream
  // over SSE like an ib-stream server instead of writing NDJSON; --contracts, --rate, --seed apply.
  std::string simulate_serve;
  simulate_cmd->add_option("--serve", simulate_serve, "Serve as an ib-stream SSE server on ADDR (127.0.0.1:8001, :8001) until SIGTERM/SIGINT");
  simulate_cmd->callback([&] { exit_code = simulate_serve.empty() ? RunSimulate(simulate) : RunSimulateServe(simulate, simulate_serve); });

  // --- query (owner: query module; logic in cli/query_command.cc) ---
  QueryOptions query;
  auto* query_cmd = app.add_subcommand("query", "Print the ticks of one contract over a time range, from a storage root or --federated (reader: takes no lock)");
  query_cmd->add_option("--storage", query.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  query_cmd->add_option("--contract", query.contract, "Contract id")->required();
  query_cmd->add_option("--tick-types", query.tick_types, "Comma-separated: bid_ask, last, all_last, mid_point")->capture_default_str();
  query_cmd->add_option("--format", query.format, "ndjson, json, csv or protobuf")->capture_default_str();
  query_cmd->add_option("--limit", query.limit, "Stop after N ticks");
  AddRangeOptions(*query_cmd, query);
  query_cmd->add_flag("--federated", query.federated,
                      "Read across servers: the central PostgreSQL says which instance covered each instant");
  query_cmd->add_option("--dsn", query.dsn, "--federated: central PostgreSQL (libpq string or URI; default: PG* variables)");
  query_cmd->add_option("--api-key", query.api_key, "--federated: X-API-Key for the instances' HTTP APIs (default: $IB_STREAM_API_KEY)");
  query_cmd->add_option("--read-via", query.read_via, "--federated: auto (files on this host, else HTTP), files or http")->capture_default_str();
  query_cmd->callback([&] { exit_code = RunQuery(query, clock); });

  // --- export (logic in cli/export_command.cc; the range options are query's) ---
  ExportOptions exp;
  auto* export_cmd = app.add_subcommand("export", "Write ticks as one file per contract x UTC day plus manifest.json (reader: takes no lock)");
  export_cmd->add_option("--storage", exp.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH)");
  export_cmd->add_option("--to", exp.to, "A new or empty directory for the files")->required();
  export_cmd->add_option("--contracts", exp.contracts, "Contract ids, comma-separated")->required();
  export_cmd->add_option("--tick-types", exp.tick_types, "Comma-separated: bid_ask, last, all_last, mid_point")->capture_default_str();
  export_cmd->add_option("--format", exp.format, "csv or ndjson (the same encoders as query)")->capture_default_str();
  AddRangeOptions(*export_cmd, exp.range);
  export_cmd->add_flag("--json", exp.json, "Print the manifest (as written to manifest.json)");
  export_cmd->footer("Exit codes: 0 done (also when nothing matched); 1 could not (I/O, a damaged file); "
                     "2 usage (bad option, no catalog, --to not empty)");
  export_cmd->callback([&] { exit_code = RunExport(exp, clock); });

  // --- run (owner: daemon; logic in cli/run_command.cc) ---
  daemon::RecorderFlags run_flags;
  int run_port = 0;
  auto* run_cmd = app.add_subcommand("run", "Run the recorder: record the tracked contracts, serve the status page and the v2 API");
  run_cmd->add_option("--env-file", run_flags.env_file, "KEY=VALUE file; the process environment and flags override it");
  run_cmd->add_option("--storage", run_flags.storage, "Storage root (default: $IB_STREAM_STORAGE_PATH, else /var/lib/ib-recorder/{environment})");
  auto* run_port_opt = run_cmd->add_option("--port", run_port, "HTTP port (default: $IB_STREAM_RECORDER_PORT, else the environment's base + 2)");
  run_cmd->add_option("--bind", run_flags.bind, "HTTP address (default: $IB_STREAM_RECORDER_BIND, else 127.0.0.1)");
  run_cmd->add_option("--source", run_flags.source, "sse (an ib-stream server), sim (built-in simulator) or http (POST /v2/ingest only)");
  run_cmd->add_option("--upstream", run_flags.upstream, "ib-stream server URL for --source sse (default: http://127.0.0.1:$PORT)");
  run_cmd->add_flag("--read-only", run_flags.read_only, "Serve an existing storage root without the lock; record nothing");
  run_cmd->callback([&] {
    if (run_port_opt->count() > 0) run_flags.port = run_port;
    exit_code = RunRecorder(run_flags, clock);
  });

  AddConfigCommands(app, &exit_code);  // --- config (logic in cli/config_command.cc) ---
  AddMigrateCommands(app, &exit_code, clock);  // --- migrate, validate-migration (cli/migrate_command.cc) ---

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}

}  // namespace ibr::cli
