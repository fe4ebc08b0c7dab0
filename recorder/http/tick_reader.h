// TickReader: the HTTP side's read-only access to the storage root — a
// read-only catalog opened per request (SQLite connections belong to one
// thread), queries that see "no catalog yet" as "no ticks", and the sinks the
// endpoints share (counting, arrival-sequence bound). Use on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"
#include "query/query_engine.h"
#include "query/tick_sink.h"

namespace ibr::http {

// The root's catalog opened read-only, or nullptr when the root has none yet.
Result<std::shared_ptr<catalog::Catalog>> OpenReadCatalog(const std::string& root, const Clock& clock);

// Runs `q` over the root; with no catalog there are no ticks.
Result<query::QueryStats> RunTickQuery(FileSystem& fs, const std::string& root, catalog::Catalog* cat,
                                       const query::TickQuery& q, query::TickSink& sink);

// Counts what passes through (per tick type, first and last timestamp) and
// hands each tick on to `next` when there is one.
class TickStatsSink final : public query::TickSink {
 public:
  explicit TickStatsSink(query::TickSink* next = nullptr) : next_(next) {}
  Status OnTick(const Tick& t, std::string_view raw_body) override;
  bool WantsRawBodies() const override { return next_ != nullptr && next_->WantsRawBodies(); }
  bool NeedsFullTicks() const override { return next_ != nullptr && next_->NeedsFullTicks(); }  // counts keys only
  std::uint64_t count = 0;
  std::map<TickType, std::uint64_t> by_type;
  std::optional<TimeUs> first, last;

 private:
  query::TickSink* next_;
};

// Passes on ticks with after_seq < arrival_seq <= max_seq (history below a
// live seam, above a resumed client's Last-Event-ID) and skips the first
// `skip` of those (a limit that keeps the newest ticks).
class SeqBoundSink final : public query::TickSink {
 public:
  SeqBoundSink(query::TickSink& next, std::uint64_t max_seq, std::uint64_t skip = 0, std::uint64_t after_seq = 0)
      : next_(next), max_seq_(max_seq), skip_(skip), after_seq_(after_seq) {}
  Status OnTick(const Tick& t, std::string_view raw_body) override;
  bool WantsRawBodies() const override { return next_.WantsRawBodies(); }
  bool NeedsFullTicks() const override { return next_.NeedsFullTicks(); }  // reads arrival_seq only

 private:
  query::TickSink& next_;
  const std::uint64_t max_seq_;
  std::uint64_t skip_;
  const std::uint64_t after_seq_;
};

}  // namespace ibr::http
