// QueryEngine: file selection through the catalog, lazy loading, merge.
#include "query/query_engine.h"

#include <algorithm>
#include <utility>

#include "common/time_text.h"
#include "query/tick_file_loader.h"
#include "query/tick_merger.h"

namespace ibr::query {
namespace {

// Earliest tick time a file can hold: files are partitioned by the UTC hour
// of the tick timestamp, and a row's start_time is its first tick once known.
TimeUs LowerBound(const catalog::TickFileRow& row) {
  return row.start_time > 0 ? std::min(row.hour_bucket, row.start_time) : row.hour_bucket;
}

}  // namespace

Result<QueryStats> QueryEngine::Run(const TickQuery& q, TickSink& sink) {
  if (q.tick_types.empty()) return Status::InvalidArgument("no tick types to query");
  QueryStats stats;
  for (const TimeRange& range : q.ranges) {
    if (range.Empty()) continue;
    if (q.limit && stats.ticks >= *q.limit) break;
    IBR_RETURN_IF_ERROR(RunRange(q, range, sink, stats));
  }
  return stats;
}

Status QueryEngine::RunRange(const TickQuery& q, const TimeRange& range, TickSink& sink, QueryStats& stats) {
  std::vector<catalog::TickFileRow> files;
  for (TickType tt : q.tick_types) {
    auto rows = catalog_.FindFiles(q.contract_id, tt, range.start, range.end);
    if (!rows.ok()) return rows.status().WithContext("listing files in the catalog");
    for (auto& row : *rows) files.push_back(std::move(row));
  }
  // Load order = merge order of equal keys: by lower bound, then as listed
  // (tick types as asked, hour, part).
  std::stable_sort(files.begin(), files.end(), [](const catalog::TickFileRow& a, const catalog::TickFileRow& b) {
    return LowerBound(a) < LowerBound(b);
  });

  const bool raw = sink.WantsRawBodies();
  // A sink that only passes stored bodies through needs each tick's key, not its fields.
  const format::TickDecode decode = sink.NeedsFullTicks() ? format::TickDecode::kFull : format::TickDecode::kKey;
  TickMerger merger;
  std::size_t next_file = 0;
  std::string_view body;
  const std::uint64_t limit = q.limit.value_or(UINT64_MAX);
  for (;;) {
    // Open every file that may hold a tick at or before the merge front.
    while (next_file < files.size() && (merger.Done() || LowerBound(files[next_file]) <= merger.NextTimestamp())) {
      if (!merger.status().ok()) return merger.status();
      const auto& row = files[next_file++];
      auto opened = OpenTickFile(fs_, root_, row, decode, merger.TakeSpareCursor());
      if (!opened.ok()) return opened.status();
      if (!opened->note.empty()) stats.notes.push_back(opened->note);
      if (!opened->cursor) continue;
      ++stats.files_read;
      if (opened->read_sealed_instead) ++stats.files_resealed;
      merger.AddCursor(std::move(opened->cursor), range, std::move(opened->path));
    }
    if (merger.Done()) {
      IBR_RETURN_IF_ERROR(merger.status());
      return merger.damage();  // an open file's damaged frames were skipped: say so
    }
    const Tick& tick = merger.Pop(raw ? &body : nullptr);
    IBR_RETURN_IF_ERROR(sink.OnTick(tick, body));
    if (++stats.ticks == limit) return Status::Ok();
  }
}

}  // namespace ibr::query
