// TickMerger: k-way merge of the ticks of several tick files into
// (timestamp, arrival_seq) order, restricted to a time range. Files of
// different tick types, and several parts of one hour (size splits, late
// ticks), may overlap in time; ties that remain are broken by the order the
// files were added, then by position in the file.
//
// Streams each file through its TickFileCursor (one reused Tick and a window
// of bytes per file, no vector of ticks); only an open file found out of
// order is read whole and sorted. Owns the added cursors; used-up ones are
// kept for reuse (TakeSpareCursor). One thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/tick.h"
#include "format/tick_file.h"
#include "format/tick_file_cursor.h"
#include "query/time_range.h"

namespace ibr::query {

class TickMerger {
 public:
  TickMerger();
  ~TickMerger();
  TickMerger(const TickMerger&) = delete;
  TickMerger& operator=(const TickMerger&) = delete;

  // Adds the ticks in `range` of the file `cursor` has opened (before its
  // first tick). A sealed file is in key order (the sealer sorts it) and is
  // streamed, stopping at the first tick past the range; an open file is
  // checked with one key-only pass first and streamed when in order, else
  // read whole and sorted. `name` is the file's path, for error messages.
  void AddCursor(std::unique_ptr<format::TickFileCursor> cursor, TimeRange range, std::string name);
  // Adds the ticks of already decoded contents that lie in `range` (need not be sorted).
  void AddFile(format::TickFileContents contents, TimeRange range);
  // True when no added file has a tick left, or after an error (see status()).
  bool Done();
  // Timestamp of the next tick; requires !Done().
  TimeUs NextTimestamp();
  // The next tick and its raw body (the stored body without CRC; empty for
  // AddFile contents decoded without raw bodies). Requires !Done(). Both stay
  // valid until the next call on the merger.
  const Tick& Pop(std::string_view* raw_body);
  // The first error a file gave while being read (a damaged sealed file, a
  // sealed file out of order); the merge stops there.
  const Status& status() const { return status_; }
  // Damage an open file's reader skipped (a damaged frame with valid frames
  // after it): the merge goes on and returns every readable tick, but the
  // answer is incomplete, so the caller reports this once the merge is done.
  const Status& damage() const { return damage_; }
  // A cursor of a used-up file, to open the next file with (nullptr when none).
  std::unique_ptr<format::TickFileCursor> TakeSpareCursor();

 private:
  struct Run;
  void Advance(Run& run);  // moves the run to its next tick in range, or marks it used up
  void Settle();           // advances the popped run, drops used-up runs, finds the next tick
  void NoteSkipped(const std::vector<format::DamagedRegion>& skipped, const std::string& name);

  std::vector<std::unique_ptr<Run>> runs_;
  std::vector<std::unique_ptr<format::TickFileCursor>> spare_;
  Run* popped_ = nullptr;
  std::size_t best_ = 0;    // run holding the next tick
  std::size_t second_ = 0;  // run holding the least tick of the others (when there are others)
  bool dirty_ = false;
  bool rescan_ = false;     // runs were added: compare them all
  Status status_;
  Status damage_;
};

}  // namespace ibr::query
