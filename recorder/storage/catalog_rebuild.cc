// CatalogRebuild: file-derived tables from the files.
#include "storage/catalog_rebuild.h"

#include <algorithm>
#include <map>

#include "storage/layout.h"

namespace ibr::storage {

Result<RebuildReport> RebuildCatalog(const StoreOptions& options, FileSystem& fs, const Clock& clock) {
  RebuildReport report;
  report.catalog_was_missing = !fs.Exists(CatalogPath(options.root));
  auto store = Store::Open(options, fs, clock);  // lock + recovery
  if (!store.ok()) return store.status();
  catalog::Catalog& cat = (*store)->catalog();
  {
    catalog::Transaction txn(cat.db());
    IBR_RETURN_IF_ERROR(txn.status());
    IBR_RETURN_IF_ERROR(cat.ClearFileDerivedTables());
    IBR_RETURN_IF_ERROR(txn.Commit());
  }
  StoreCheckOptions check;
  check.root = options.root;
  check.instance_name = (*store)->instance().instance_name;
  check.repair = true;
  auto checked = CheckStore(check, fs, cat, clock);
  if (!checked.ok()) return checked.status();
  report.check = std::move(checked.value());
  report.files = report.check.files_checked;
  report.ticks = report.check.ticks;

  auto rows = cat.ListTickFiles();
  if (!rows.ok()) return rows.status();
  struct Span {
    TimeUs first, last;
    std::vector<TickType> types;
  };
  std::map<std::uint32_t, Span> by_contract;
  for (const auto& r : *rows) {
    if (r.message_count == 0) continue;
    auto [it, fresh] = by_contract.try_emplace(r.contract_id, Span{r.start_time, r.end_time, {}});
    it->second.first = std::min(it->second.first, r.start_time);
    it->second.last = std::max(it->second.last, r.end_time);
    if (std::find(it->second.types.begin(), it->second.types.end(), r.tick_type) == it->second.types.end()) {
      it->second.types.push_back(r.tick_type);
    }
  }
  catalog::Transaction txn(cat.db());
  IBR_RETURN_IF_ERROR(txn.status());
  for (const auto& [cid, span] : by_contract) {
    catalog::ContractRow c;
    c.contract_id = cid;
    c.first_seen = span.first;
    c.last_seen = span.last;
    IBR_RETURN_IF_ERROR(cat.UpsertContract(c));
  }
  IBR_RETURN_IF_ERROR(cat.RecomputeAllDailyStats());
  if (report.catalog_was_missing && !by_contract.empty()) {
    catalog::SessionRow s;
    s.server_instance_id = (*store)->instance().id;
    s.kind = catalog::SessionKind::kReconstructed;
    s.status = catalog::SessionStatus::kCompleted;
    s.session_start = by_contract.begin()->second.first;
    TimeUs end = s.session_start;
    for (const auto& [cid, span] : by_contract) {
      s.session_start = std::min(s.session_start, span.first);
      end = std::max(end, span.last);
    }
    s.session_end = end;
    s.config_snapshot = "{}";
    s.termination_reason = "reconstructed by rebuild-catalog: the catalog was missing";
    auto id = cat.InsertSession(s);
    if (!id.ok()) return id.status();
    report.reconstructed_session_id = *id;
    for (const auto& [cid, span] : by_contract) {
      catalog::SessionContractRow sc;
      sc.collection_session_id = *id;
      sc.contract_id = cid;
      sc.tick_types = span.types;
      sc.first_message_time = span.first;
      sc.last_message_time = span.last;
      IBR_RETURN_IF_ERROR(cat.UpsertSessionContract(sc));
    }
  }
  IBR_RETURN_IF_ERROR(txn.Commit());
  return report;
}

}  // namespace ibr::storage
