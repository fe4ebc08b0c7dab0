// TickMerger: k-way merge of the ticks of several decoded tick files into
// (timestamp, arrival_seq) order, restricted to a time range. Files of
// different tick types, and several parts of one hour (size splits, late
// ticks), may overlap in time; ties that remain are broken by the order the
// files were added, then by position in the file.
//
// Owns the added files' contents and frees each one when it is used up, so a
// caller adding files lazily (as the merge reaches them) keeps memory at the
// files that overlap the merge front. One thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/tick.h"
#include "format/tick_file.h"
#include "query/time_range.h"

namespace ibr::query {

class TickMerger {
 public:
  TickMerger();
  ~TickMerger();
  TickMerger(const TickMerger&) = delete;
  TickMerger& operator=(const TickMerger&) = delete;

  // Adds the ticks of `contents` that lie in `range` (a file's ticks need not
  // be sorted; they are ordered here when they are not).
  void AddFile(format::TickFileContents contents, TimeRange range);
  // True when no added file has a tick left.
  bool Done();
  // Timestamp of the next tick; requires !Done().
  TimeUs NextTimestamp();
  // The next tick and (when the file was decoded with them) its raw body.
  // The reference stays valid until the next call on the merger.
  const Tick& Pop(std::string_view* raw_body);

 private:
  struct Run;
  void Settle();  // drops used-up runs and finds the run holding the next tick

  std::vector<std::unique_ptr<Run>> runs_;
  std::size_t best_ = 0;
  bool dirty_ = false;
};

}  // namespace ibr::query
