// `migrate` and `validate-migration`: options, then migration::RunStep /
// migration::CheckContinuity, then text or --json.
#include "cli/migrate_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/exit_codes.h"
#include "migration/contract_list.h"
#include "migration/continuity_check.h"
#include "migration/gap_tolerance.h"
#include "migration/migration_steps.h"

namespace ibr::cli {
namespace {

struct MigrateFlags {
  migration::StepRequest req;
  std::string contracts, max_gap = "5s";
  bool json = false;
};

struct ValidateMigrationFlags {
  std::string old_root, new_root, contracts, max_gap = "5s";
  bool json = false;
};

int UsageError(const char* command, const Status& s) {
  const std::string& m = s.message();
  if (m.rfind(std::string(command) + " ", 0) == 0) {  // already says which command (and step)
    std::fprintf(stderr, "ib-recorder %s\n", m.c_str());
  } else {
    std::fprintf(stderr, "ib-recorder %s: %s\n", command, m.c_str());
  }
  return kExitUsage;
}

int RunMigrate(MigrateFlags& f, const Clock& clock) {
  auto ids = migration::ParseContractIds(f.contracts);
  if (!ids.ok()) return UsageError("migrate", ids.status());
  f.req.contracts = *ids;
  auto gap = migration::ParseGapTolerance(f.max_gap);
  if (!gap.ok()) return UsageError("migrate", gap.status());
  f.req.max_gap = *gap;
  if (f.req.step == "switch" && f.req.storage.empty()) f.req.storage = f.req.to;
  auto out = migration::RunStep(PosixFileSystem::Instance(), clock, f.req);
  if (!out.ok()) return UsageError("migrate", out.status());
  if (f.json) {
    std::printf("%s\n", out->json.c_str());
  } else {
    std::fputs(out->message.c_str(), out->ok ? stdout : stderr);
  }
  return out->ok ? kExitOk : kExitFailed;
}

int RunValidateMigration(const ValidateMigrationFlags& f, const Clock& clock) {
  migration::ContinuityOptions o;
  o.source_root = f.old_root;
  o.target_root = f.new_root;
  auto ids = migration::ParseContractIds(f.contracts);
  if (!ids.ok()) return UsageError("validate-migration", ids.status());
  o.contracts = *ids;
  auto gap = migration::ParseGapTolerance(f.max_gap);
  if (!gap.ok()) return UsageError("validate-migration", gap.status());
  o.max_gap = *gap;
  auto report = migration::CheckContinuity(PosixFileSystem::Instance(), o, clock);
  if (!report.ok()) return UsageError("validate-migration", report.status());
  const std::string text = f.json ? migration::ContinuityJson(*report) + "\n" : migration::ContinuityText(*report);
  std::fputs(text.c_str(), stdout);
  return report->ok ? kExitOk : kExitFailed;
}

}  // namespace

void AddMigrateCommands(CLI::App& app, int* exit_code, const Clock& clock) {
  auto mf = std::make_shared<MigrateFlags>();
  auto* m = app.add_subcommand("migrate", "Record a migration step (seed 003 blue-green) in a catalog; swap storage-active");
  m->add_option("step", mf->req.step, "prepare, handoff, validate, complete, rollback or switch")->required();
  m->add_option("--storage", mf->req.storage, "Storage root whose catalog records the step (switch: default --to)");
  m->add_option("--source", mf->req.source, "Old instance's name (IB_STREAM_INSTANCE_NAME of the source)");
  m->add_option("--target", mf->req.target, "New instance's name");
  m->add_option("--contracts", mf->contracts, "Contract ids being migrated, ID,ID (validate: default every contract)");
  m->add_option("--type", mf->req.migration_type, "blue_green, rolling or maintenance")->capture_default_str();
  m->add_option("--notes", mf->req.notes, "Free text stored with the step");
  m->add_option("--target-url", mf->req.target_url, "prepare: the target recorder's URL; its /health is checked");
  m->add_option("--target-env-file", mf->req.target_env_file, "prepare: the target's env file; checked like `config check`");
  m->add_option("--source-storage", mf->req.source_storage, "validate: the source's storage root (default --storage)");
  m->add_option("--target-storage", mf->req.target_storage, "validate: the target's storage root");
  m->add_option("--max-gap", mf->max_gap, "validate: largest gap between source's last and target's first tick (500ms, 5s, 2m)")
      ->capture_default_str();
  m->add_option("--link", mf->req.link, "rollback/switch: the symlink to swap atomically (e.g. storage-active)");
  m->add_option("--to", mf->req.to, "switch: the root the link points at next; rollback: default the root before the last switch");
  m->add_flag("--json", mf->json, "Print the outcome as JSON");
  m->footer(
      "Steps: prepare (preparation row; checks the target if --target-url/--target-env-file), handoff (handoff row, "
      "stays started), validate (validation row: continuity per contract), complete (closes the open handoff), "
      "rollback (rollback row; the open handoff failed; --link swaps back), switch (--link L --to DIR: forward swap, "
      "recorded as a handoff row).\n"
      "Exit codes: 0 done; 1 the step failed (target check, continuity, nothing open to complete, validation failed, "
      "link not swapped); 2 usage or unreadable storage");
  m->callback([mf, exit_code, &clock] { *exit_code = RunMigrate(*mf, clock); });

  auto vf = std::make_shared<ValidateMigrationFlags>();
  auto* v = app.add_subcommand("validate-migration",
                               "Check continuity from an old storage root to a new one (read-only, beside running writers)");
  v->add_option("--old", vf->old_root, "Old storage root (the source, or its backup)")->required();
  v->add_option("--new", vf->new_root, "New storage root (the target)")->required();
  v->add_option("--contracts", vf->contracts, "Contract ids to check, ID,ID (default: every contract either root has)");
  v->add_option("--max-gap", vf->max_gap, "Largest gap between old's last and new's first tick (500ms, 5s, 2m)")
      ->capture_default_str();
  v->add_flag("--json", vf->json, "Print the report as JSON");
  v->footer("Exit codes: 0 continuity ok; 1 a contract has a gap over --max-gap, unequal overlapping ticks or no ticks "
            "on one side; 2 usage or unreadable storage");
  v->callback([vf, exit_code, &clock] { *exit_code = RunValidateMigration(*vf, clock); });
}

}  // namespace ibr::cli
