// MigrationSteps: one function per step over the catalog's migration_events.
#include "migration/migration_steps.h"

#include <memory>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "migration/gap_tolerance.h"
#include "migration/storage_link.h"
#include "migration/target_probe.h"
#include "storage/layout.h"

namespace ibr::migration {
namespace {

using catalog::Catalog;
using catalog::MigrationEventRow;
using nlohmann::ordered_json;

// One step's context: the request, the open catalog, the clock.
struct StepRun {
  FileSystem& fs;
  const Clock& clock;
  const StepRequest& req;
  Catalog& cat;
};

ordered_json ParseOr(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  ordered_json j = ordered_json::parse(*text, nullptr, false);
  return j.is_discarded() ? ordered_json(*text) : j;
}

ordered_json MetadataOf(const MigrationEventRow& row) { return ParseOr(row.metadata); }

std::string StepOf(const MigrationEventRow& row) {
  const ordered_json m = MetadataOf(row);
  return m.is_object() && m.contains("step") && m["step"].is_string() ? m["step"].get<std::string>() : "";
}

MigrationEventRow NewRow(const StepRun& r, const char* event_type, ordered_json metadata) {
  MigrationEventRow row;
  row.event_type = event_type;
  row.event_status = "started";
  if (!r.req.source.empty()) row.source_instance = r.req.source;
  if (!r.req.target.empty()) row.target_instance = r.req.target;
  row.event_start = r.clock.Now();
  row.migration_type = r.req.migration_type;
  row.contracts_migrated = r.req.contracts;
  if (!r.req.notes.empty()) row.notes = r.req.notes;
  metadata["step"] = r.req.step;
  metadata["recorded_by"] = std::string("ib-recorder ") + IBR_VERSION;
  row.metadata = SafeDump(metadata);
  return row;
}

Status Finish(StepRun& r, MigrationEventRow& row, bool ok) {
  row.event_status = ok ? "completed" : "failed";
  row.event_end = r.clock.Now();
  return r.cat.UpdateMigrationEvent(row);
}

bool SamePair(const MigrationEventRow& row, const StepRequest& req) {
  return row.source_instance.value_or("") == req.source && row.target_instance.value_or("") == req.target;
}

// The latest handoff still started (not a switch) for this source -> target.
Result<std::optional<MigrationEventRow>> OpenHandoff(Catalog& cat, const StepRequest& req) {
  auto rows = cat.ListMigrationEvents();
  if (!rows.ok()) return rows.status();
  std::optional<MigrationEventRow> out;
  for (const auto& row : *rows) {
    if (row.event_type == "handoff" && row.event_status == "started" && StepOf(row) != "switch" && SamePair(row, req)) {
      out = row;
    }
  }
  return out;
}

StepOutcome Outcome(const StepRun& r, const MigrationEventRow& row, bool ok, std::string message,
                    ordered_json extra = ordered_json::object()) {
  StepOutcome o;
  o.ok = ok;
  o.event_id = row.id;
  o.event_type = row.event_type;
  o.event_status = row.event_status;
  o.message = std::move(message);
  o.validation_results = row.validation_results.value_or("");
  ordered_json j{{"step", r.req.step},
                 {"ok", ok},
                 {"event_id", row.id},
                 {"event_type", row.event_type},
                 {"event_status", row.event_status},
                 {"storage", r.req.storage},
                 {"source", r.req.source},
                 {"target", r.req.target},
                 {"migration_type", row.migration_type},
                 {"contracts", row.contracts_migrated},
                 {"event_start", FormatIsoTimestamp(row.event_start)},
                 {"event_end", row.event_end ? ordered_json(FormatIsoTimestamp(*row.event_end)) : ordered_json(nullptr)},
                 {"validation_results", ParseOr(row.validation_results)},
                 {"message", o.message}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  o.json = SafeDump(j);
  return o;
}

std::string Label(const MigrationEventRow& row) {
  return "migration event " + std::to_string(row.id) + " (" + row.event_type + ", " + row.event_status + ")";
}

Result<StepOutcome> Prepare(StepRun& r) {
  MigrationEventRow row = NewRow(r, "preparation", ordered_json::object());
  auto id = r.cat.InsertMigrationEvent(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  ordered_json checks = ordered_json::array();
  bool ok = true;
  std::string lines;
  const auto add = [&](ProbeResult p) {
    ok = ok && p.ok;
    for (const auto& problem : p.details["problems"]) lines += "  problem: " + problem.get<std::string>() + "\n";
    checks.push_back(std::move(p.details));
  };
  if (!r.req.target_url.empty()) add(ProbeTargetUrl(r.req.target_url));
  if (!r.req.target_env_file.empty()) add(ProbeTargetEnvFile(r.fs, r.req.target_env_file));
  const bool checked = !checks.empty();
  ordered_json results{{"ok", ok}, {"target_checked", checked}, {"checks", checks}};
  const std::string not_checked =
      "the target was NOT checked: give --target-url URL (its /health) and/or --target-env-file F (config check)";
  if (!checked) results["note"] = not_checked;
  row.validation_results = SafeDump(results);
  IBR_RETURN_IF_ERROR(Finish(r, row, ok));
  std::string msg = "preparation " + r.req.source + " -> " + r.req.target + " recorded as " + Label(row) + "\n" + lines;
  if (!checked) msg += "warning: " + not_checked + "\n";
  if (checked && ok) msg += "target checks passed\n";
  return Outcome(r, row, ok, msg, {{"target_checked", checked}});
}

Result<StepOutcome> Handoff(StepRun& r) {
  auto open = OpenHandoff(r.cat, r.req);
  if (!open.ok()) return open.status();
  if (*open) {
    return Outcome(r, **open, false,
                   "handoff " + r.req.source + " -> " + r.req.target + " is already open as " + Label(**open) +
                       " since " + FormatIsoTimestamp((*open)->event_start) +
                       ": finish it with `migrate complete` or `migrate rollback` first\n");
  }
  MigrationEventRow row = NewRow(r, "handoff", ordered_json::object());
  auto id = r.cat.InsertMigrationEvent(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  return Outcome(r, row, true,
                 "handoff " + r.req.source + " -> " + r.req.target + " started: " + Label(row) +
                     "; next: stop the source, `migrate validate`, then `migrate complete` (or `migrate rollback`)\n");
}

Result<StepOutcome> Validate(StepRun& r) {
  if (r.req.target_storage.empty()) {
    return Status::InvalidArgument("migrate validate: --target-storage DIR is needed (the target's storage root)");
  }
  ContinuityOptions co;
  co.source_root = r.req.source_storage.empty() ? r.req.storage : r.req.source_storage;
  co.target_root = r.req.target_storage;
  co.contracts = r.req.contracts;
  co.max_gap = r.req.max_gap;
  const TimeUs start = r.clock.Now();
  auto report = CheckContinuity(r.fs, co, r.clock);
  if (!report.ok()) return report.status();
  MigrationEventRow row = NewRow(r, "validation", ordered_json::object());
  row.event_start = start;
  row.validation_results = ContinuityJson(*report);
  auto id = r.cat.InsertMigrationEvent(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  IBR_RETURN_IF_ERROR(Finish(r, row, report->ok));
  auto open = OpenHandoff(r.cat, r.req);
  if (!open.ok()) return open.status();
  if (*open) {
    MigrationEventRow h = **open;
    h.validation_results = row.validation_results;
    IBR_RETURN_IF_ERROR(r.cat.UpdateMigrationEvent(h));
  }
  return Outcome(r, row, report->ok, ContinuityText(*report) + "recorded as " + Label(row) + "\n");
}

Result<StepOutcome> Complete(StepRun& r) {
  auto open = OpenHandoff(r.cat, r.req);
  if (!open.ok()) return open.status();
  if (!*open) {
    MigrationEventRow none;
    return Outcome(r, none, false,
                   "no open handoff " + r.req.source + " -> " + r.req.target + " in " + r.req.storage +
                       ": start one with `migrate handoff` (nothing was changed)\n");
  }
  MigrationEventRow h = **open;
  auto rows = r.cat.ListMigrationEvents();
  if (!rows.ok()) return rows.status();
  std::optional<MigrationEventRow> validation;
  for (const auto& row : *rows) {
    if (row.id > h.id && row.event_type == "validation" && SamePair(row, r.req)) validation = row;
  }
  if (validation && validation->event_status == "failed") {
    return Outcome(r, h, false,
                   "not completed: the latest validation, " + Label(*validation) +
                       ", failed; fix it and run `migrate validate` again, or `migrate rollback`\n");
  }
  std::string msg;
  if (!validation) msg = "warning: the handoff was not validated: `migrate validate` checks continuity\n";
  if (!r.req.notes.empty()) h.notes = h.notes ? *h.notes + "\n" + r.req.notes : r.req.notes;
  IBR_RETURN_IF_ERROR(Finish(r, h, true));
  return Outcome(r, h, true, msg + "handoff " + r.req.source + " -> " + r.req.target + " completed: " + Label(h) + "\n");
}

// rollback and switch: the link swap, recorded in `row`'s metadata.
Result<StepOutcome> SwapAndRecord(StepRun& r, MigrationEventRow row, const std::string& to, const char* what) {
  auto id = r.cat.InsertMigrationEvent(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  ordered_json link = nullptr;
  std::string msg;
  bool ok = true;
  if (!r.req.link.empty()) {
    auto swap = SwapStorageLink(r.fs, r.req.link, to);
    ordered_json meta = MetadataOf(row);
    if (swap.ok()) {
      link = ordered_json{{"link", AbsolutePath(r.req.link)}, {"from", swap->previous}, {"to", swap->now}};
      meta["link"] = link;
      msg = std::string(what) + ": " + r.req.link + " now points at " + swap->now +
            (swap->previous.empty() ? " (new link)" : " (was " + swap->previous + ")") + "\n";
    } else {
      ok = false;
      meta["link_error"] = swap.status().message();
      row.notes = row.notes ? *row.notes + "\n" + swap.status().message() : swap.status().message();
      msg = std::string(what) + " FAILED: " + swap.status().message() + "\n";
    }
    row.metadata = SafeDump(meta);
  }
  IBR_RETURN_IF_ERROR(Finish(r, row, ok));
  return Outcome(r, row, ok, msg + "recorded as " + Label(row) + "\n", {{"link", link}});
}

// The directory a link pointed at before the latest recorded switch of it.
Result<std::string> PreviousOfLastSwitch(Catalog& cat, const std::string& link) {
  auto rows = cat.ListMigrationEvents();
  if (!rows.ok()) return rows.status();
  std::string out;
  for (const auto& row : *rows) {
    const ordered_json m = MetadataOf(row);
    if (StepOf(row) == "switch" && row.event_status == "completed" && m.contains("link") && m["link"].is_object() &&
        m["link"].value("link", "") == AbsolutePath(link)) {
      out = m["link"].value("from", "");
    }
  }
  return out;
}

Result<StepOutcome> Rollback(StepRun& r) {
  std::string to = r.req.to;
  if (!r.req.link.empty() && to.empty()) {
    auto prev = PreviousOfLastSwitch(r.cat, r.req.link);
    if (!prev.ok()) return prev.status();
    if (prev->empty()) {
      return Status::InvalidArgument("migrate rollback --link " + r.req.link +
                                     ": no recorded `migrate switch` of this link says where it pointed before; "
                                     "give --to DIR (the source's storage root)");
    }
    to = *prev;
  }
  auto open = OpenHandoff(r.cat, r.req);
  if (!open.ok()) return open.status();
  auto out = SwapAndRecord(r, NewRow(r, "rollback", ordered_json::object()), to, "rolled back");
  if (!out.ok() || !out->ok || !*open) return out;
  MigrationEventRow h = **open;
  const std::string note = "rolled back by migration event " + std::to_string(out->event_id);
  h.notes = h.notes ? *h.notes + "\n" + note : note;
  IBR_RETURN_IF_ERROR(Finish(r, h, false));
  out->message += "the open handoff, migration event " + std::to_string(h.id) + ", is marked failed\n";
  return out;
}

Result<StepOutcome> Switch(StepRun& r) {
  if (r.req.link.empty() || r.req.to.empty()) {
    return Status::InvalidArgument("migrate switch needs --link L (e.g. storage-active) and --to DIR (the new root)");
  }
  return SwapAndRecord(r, NewRow(r, "handoff", ordered_json::object()), r.req.to, "switched");
}

}  // namespace

Status CheckMigrationType(const std::string& type) {
  if (type == "blue_green" || type == "rolling" || type == "maintenance") return Status::Ok();
  return Status::InvalidArgument("--type '" + type + "': expected blue_green, rolling or maintenance");
}

Result<StepOutcome> RunStep(FileSystem& fs, const Clock& clock, const StepRequest& req) {
  const std::string& s = req.step;
  if (s != "prepare" && s != "handoff" && s != "validate" && s != "complete" && s != "rollback" && s != "switch") {
    return Status::InvalidArgument("migrate " + s + ": unknown step '" + s +
                                   "'; expected prepare, handoff, validate, complete, rollback or switch");
  }
  IBR_RETURN_IF_ERROR(CheckMigrationType(req.migration_type));
  if (s != "switch") {
    if (req.source.empty()) return Status::InvalidArgument("migrate " + s + ": --source INSTANCE is needed (the old instance's name)");
    if (req.target.empty()) return Status::InvalidArgument("migrate " + s + ": --target INSTANCE is needed (the new instance's name)");
  }
  if (req.storage.empty()) {
    return Status::InvalidArgument("migrate " + s + ": --storage DIR is needed (the root whose catalog records the step)");
  }
  const std::string path = storage::CatalogPath(req.storage);
  if (!fs.Exists(path)) {
    return Status::NotFound("migrate " + s + ": --storage " + req.storage + " has no catalog (" + path +
                            "); give the storage root of an instance that has run");
  }
  auto cat = Catalog::Open(path, Catalog::Mode::kReadWrite, clock);
  if (!cat.ok()) return cat.status().WithContext("migrate " + s + ": --storage " + req.storage);
  StepRun r{fs, clock, req, **cat};
  if (s == "prepare") return Prepare(r);
  if (s == "handoff") return Handoff(r);
  if (s == "validate") return Validate(r);
  if (s == "complete") return Complete(r);
  if (s == "rollback") return Rollback(r);
  return Switch(r);
}

}  // namespace ibr::migration
