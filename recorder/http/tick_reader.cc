// TickReader: catalog open, query run, shared sinks.
#include "http/tick_reader.h"

#include "storage/layout.h"

namespace ibr::http {

Result<std::shared_ptr<catalog::Catalog>> OpenReadCatalog(const std::string& root, const Clock& clock) {
  const std::string path = storage::CatalogPath(root);
  if (!PosixFileSystem::Instance().Exists(path)) return std::shared_ptr<catalog::Catalog>();
  auto cat = catalog::Catalog::Open(path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) {
    if (cat.status().code() == StatusCode::kNotFound) return std::shared_ptr<catalog::Catalog>();
    return cat.status().WithContext("opening the catalog");
  }
  return std::shared_ptr<catalog::Catalog>(std::move(cat).value());
}

Result<query::QueryStats> RunTickQuery(FileSystem& fs, const std::string& root, catalog::Catalog* cat,
                                       const query::TickQuery& q, query::TickSink& sink) {
  if (cat == nullptr) return query::QueryStats{};
  query::QueryEngine engine(fs, root, *cat);
  return engine.Run(q, sink);
}

Status TickStatsSink::OnTick(const Tick& t, std::string_view raw_body) {
  ++count;
  ++by_type[t.tick_type];
  if (!first || t.timestamp_us < *first) first = t.timestamp_us;
  if (!last || t.timestamp_us > *last) last = t.timestamp_us;
  return next_ != nullptr ? next_->OnTick(t, raw_body) : Status::Ok();
}

Status SeqBoundSink::OnTick(const Tick& t, std::string_view raw_body) {
  if (t.arrival_seq > max_seq_ || t.arrival_seq <= after_seq_) return Status::Ok();
  if (skip_ > 0) {
    --skip_;
    return Status::Ok();
  }
  return next_.OnTick(t, raw_body);
}

}  // namespace ibr::http
