// Status pieces shared by WriterService and ReadOnlyService.
#include "daemon/status_snapshot.h"

#include "common/time_text.h"
#include "storage/store.h"

namespace ibr::daemon {

RecorderStatus StatusFromConfig(const RecorderConfig& config) {
  RecorderStatus s;
  s.instance_name = config.instance_name;
  s.environment = config.environment;
  s.version = IBR_VERSION;
  s.host = storage::HostName();
  s.port = config.recorder_port;
  s.storage_path = config.storage_path;
  s.source = config.source;
  if (config.source == "sse") s.upstream_url = config.upstream_url;
  s.read_only = config.read_only;
  s.mode = std::string(ModeName(config.mode));
  return s;
}

std::vector<ContractStatus> TrackedContractStatus(const RecorderConfig& config) {
  std::vector<ContractStatus> out;
  for (const auto& t : config.tracked) {
    ContractStatus c;
    c.contract_id = t.contract_id;
    c.symbol = t.symbol;
    c.tracked = true;
    c.tick_types = t.tick_types;
    c.buffer_hours = t.buffer_hours;
    out.push_back(std::move(c));
  }
  return out;
}

Result<CatalogTotals> ReadCatalogTotals(catalog::Catalog& catalog, TimeUs now,
                                        const std::function<void(const catalog::DailyTickStatsRow&)>& each) {
  auto rows = catalog.ListDailyStats();
  if (!rows.ok()) return rows.status();
  const std::string today = FormatIsoDate(now);
  CatalogTotals t;
  for (const auto& r : *rows) {
    t.files_total += static_cast<std::uint64_t>(r.total_files);
    t.bytes_total += static_cast<std::uint64_t>(r.total_size_bytes);
    if (r.date == today) {
      t.files_today += static_cast<std::uint64_t>(r.total_files);
      t.bytes_today += static_cast<std::uint64_t>(r.total_size_bytes);
    }
    if (each) each(r);
  }
  auto files = catalog.CountTickFiles();
  if (!files.ok()) return files.status();
  t.files_sealed = static_cast<std::uint64_t>(files->sealed);
  return t;
}

}  // namespace ibr::daemon
