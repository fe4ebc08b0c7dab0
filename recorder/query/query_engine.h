// QueryEngine: answers "ticks of contract C, tick types T, in these time
// ranges" from one storage root — picks the files through the catalog, reads
// them (beside a live writer: no lock, whole frames only), merges tick types
// and parts into (timestamp, arrival_seq) order and streams them to a sink.
//
// Borrows the FileSystem and the read-only Catalog (one Catalog per thread),
// which must outlive it. One thread per engine; create one per request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"
#include "query/tick_sink.h"
#include "query/time_range.h"

namespace ibr::query {

struct TickQuery {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;  // merged into one stream
  std::vector<TimeRange> ranges;     // disjoint, oldest first; empty ranges are skipped
  std::optional<std::uint64_t> limit;  // stop after this many ticks
};

struct QueryStats {
  std::uint64_t ticks = 0;          // delivered to the sink
  std::uint64_t files_read = 0;
  std::uint64_t files_resealed = 0; // named open by the catalog, read under the sealed name
  std::vector<std::string> notes;   // files skipped and why (for stderr / logs)
};

class QueryEngine {
 public:
  QueryEngine(FileSystem& fs, std::string storage_root, catalog::Catalog& catalog)
      : fs_(fs), root_(std::move(storage_root)), catalog_(catalog) {}

  // Streams the ticks of `q` to `sink`: each range in turn, files opened only
  // when the catalog says they overlap it and only when the merge reaches
  // them, ticks outside [start, end) dropped. Stops early on the limit or on
  // the first error (a damaged sealed file, an I/O error, the sink's error),
  // after having delivered the ticks before it.
  Result<QueryStats> Run(const TickQuery& q, TickSink& sink);

 private:
  Status RunRange(const TickQuery& q, const TimeRange& range, TickSink& sink, QueryStats& stats);

  FileSystem& fs_;
  std::string root_;
  catalog::Catalog& catalog_;
};

}  // namespace ibr::query
