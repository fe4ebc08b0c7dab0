// LocalSegmentReader: identity check at open, then the query engine per segment.
#include "federation/local_segment_reader.h"

#include "query/query_engine.h"
#include "storage/layout.h"

namespace ibr::federation {

Result<std::unique_ptr<LocalSegmentReader>> LocalSegmentReader::Open(const InstanceRef& instance, FileSystem& fs,
                                                                     const Clock& clock) {
  if (instance.storage_path.empty()) return Status::NotFound("the central database has no storage path for it");
  const std::string path = storage::CatalogPath(instance.storage_path);
  if (!fs.Exists(path)) return Status::NotFound("no catalog at " + path + " on this host");
  auto cat = catalog::Catalog::Open(path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) return cat.status().WithContext("opening " + path + " read-only");
  auto owner = (*cat)->GetInstance();
  if (!owner.ok()) return owner.status().WithContext("reading the instance of " + path);
  if (!owner->has_value() || (*owner)->instance_name != instance.name) {
    return Status::NotFound(instance.storage_path + " on this host is " +
                            (owner->has_value() ? "instance '" + (*owner)->instance_name + "'" : "no instance's root") +
                            ", not '" + instance.name + "'");
  }
  return std::unique_ptr<LocalSegmentReader>(
      new LocalSegmentReader(fs, instance.storage_path, std::move(cat).value()));
}

Status LocalSegmentReader::Read(const SegmentRequest& request, query::TickSink& sink,
                                std::vector<std::string>& notes) {
  query::QueryEngine engine(fs_, root_, *catalog_);
  query::TickQuery q{request.contract_id, request.tick_types, {request.range}, request.limit};
  auto stats = engine.Run(q, sink);
  if (!stats.ok()) return stats.status();
  for (auto& n : stats->notes) notes.push_back(std::move(n));
  return Status::Ok();
}

}  // namespace ibr::federation
