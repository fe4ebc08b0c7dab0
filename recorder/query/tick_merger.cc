// TickMerger: k-way merge over streaming cursors (and decoded files).
#include "query/tick_merger.h"

#include <algorithm>
#include <utility>

namespace ibr::query {
namespace {

inline bool KeyLess(TimeUs ts_a, std::uint64_t seq_a, TimeUs ts_b, std::uint64_t seq_b) {
  return ts_a != ts_b ? ts_a < ts_b : seq_a < seq_b;
}

inline bool KeyLess(const Tick& a, const Tick& b) {
  return KeyLess(a.timestamp_us, a.arrival_seq, b.timestamp_us, b.arrival_seq);
}

}  // namespace

// One file's ticks in range, in key order: streamed from a cursor, or taken
// from decoded contents (a contiguous slice when sorted, else a permutation).
struct TickMerger::Run {
  TimeRange range;
  // Streaming.
  std::unique_ptr<format::TickFileCursor> cursor;
  std::string name;
  TimeUs last_ts = INT64_MIN;   // key of the last tick the cursor gave
  std::uint64_t last_seq = 0;
  // Decoded.
  format::TickFileContents contents;
  std::vector<std::uint32_t> order;  // used when !sorted
  bool sorted = true;
  std::size_t pos = 0, end = 0;
  // The current tick.
  const Tick* tick = nullptr;
  std::string_view body;
  bool empty = false;

  std::size_t Index() const { return sorted ? pos : order[pos]; }
  void TakeDecoded() {
    if (pos >= end) {
      empty = true;
      return;
    }
    const std::size_t i = Index();
    tick = &contents.ticks[i];
    body = i < contents.raw_bodies.size() ? contents.raw_bodies[i] : std::string_view();
  }
};

TickMerger::TickMerger() = default;
TickMerger::~TickMerger() = default;

void TickMerger::AddFile(format::TickFileContents contents, TimeRange range) {
  auto run = std::make_unique<Run>();
  run->range = range;
  run->contents = std::move(contents);
  const auto& ticks = run->contents.ticks;
  if (std::is_sorted(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return KeyLess(a, b); })) {
    auto lo = std::partition_point(ticks.begin(), ticks.end(),
                                   [&](const Tick& t) { return t.timestamp_us < range.start; });
    auto hi = std::partition_point(lo, ticks.end(), [&](const Tick& t) { return t.timestamp_us < range.end; });
    run->pos = static_cast<std::size_t>(lo - ticks.begin());
    run->end = static_cast<std::size_t>(hi - ticks.begin());
  } else {
    run->sorted = false;
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      if (range.Contains(ticks[i].timestamp_us)) run->order.push_back(static_cast<std::uint32_t>(i));
    }
    std::stable_sort(run->order.begin(), run->order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return KeyLess(ticks[a], ticks[b]); });
    run->end = run->order.size();
  }
  run->TakeDecoded();
  runs_.push_back(std::move(run));
  dirty_ = rescan_ = true;
}

void TickMerger::AddCursor(std::unique_ptr<format::TickFileCursor> cursor, TimeRange range, std::string name) {
  if (!status_.ok()) return;
  if (cursor->kind() == format::TickFileKind::kOpen) {
    // Open files hold ticks in arrival order, which is nearly always key
    // order; one key-only pass says whether it is.
    const format::TickDecode decode = cursor->decode();
    cursor->set_decode(format::TickDecode::kKey);
    bool sorted = true;
    TimeUs ts = INT64_MIN;
    std::uint64_t seq = 0;
    while (sorted && cursor->Next()) {
      const Tick& t = cursor->tick();
      sorted = !KeyLess(t.timestamp_us, t.arrival_seq, ts, seq);
      ts = t.timestamp_us;
      seq = t.arrival_seq;
    }
    cursor->set_decode(decode);
    status_ = cursor->Rewind();
    if (status_.ok() && !sorted) {
      auto contents = format::ReadRemainingTicks(*cursor, /*want_raw_bodies=*/true);
      if (!contents.ok()) {
        status_ = contents.status();
        return;
      }
      NoteSkipped(contents->skipped, name);
      spare_.push_back(std::move(cursor));
      AddFile(std::move(contents).value(), range);
      return;
    }
    if (!status_.ok()) return;
  }
  // A seekable sealed file starts at the segment the range needs.
  if (cursor->kind() == format::TickFileKind::kSealed) cursor->SeekTo(range.start);
  auto run = std::make_unique<Run>();
  run->range = range;
  run->cursor = std::move(cursor);
  run->name = std::move(name);
  Advance(*run);
  runs_.push_back(std::move(run));
  dirty_ = rescan_ = true;
}

void TickMerger::Advance(Run& run) {
  if (!run.cursor) {
    ++run.pos;
    run.TakeDecoded();
    return;
  }
  format::TickFileCursor& c = *run.cursor;
  while (c.Next()) {
    const Tick& t = c.tick();
    if (KeyLess(t.timestamp_us, t.arrival_seq, run.last_ts, run.last_seq)) {
      status_ = Status::Corruption("reading " + run.name + ": tick frame " + std::to_string(c.count() - 1) +
                                   " is out of (timestamp, arrival) order; a sealed file is sorted when it is "
                                   "written, so this one was changed or written by another tool (run "
                                   "`ib-recorder verify` on this storage root)");
      break;
    }
    run.last_ts = t.timestamp_us;
    run.last_seq = t.arrival_seq;
    if (t.timestamp_us < run.range.start) continue;
    if (t.timestamp_us >= run.range.end) break;  // sorted: nothing further is in range
    run.tick = &t;
    run.body = c.body();
    return;
  }
  if (!c.status().ok() && status_.ok()) {
    status_ = c.status().WithContext("reading " + run.name + " (run `ib-recorder verify` on this storage root)");
  }
  NoteSkipped(c.skipped(), run.name);
  run.empty = true;
}

void TickMerger::NoteSkipped(const std::vector<format::DamagedRegion>& skipped, const std::string& name) {
  if (skipped.empty() || !damage_.ok()) return;
  std::uint64_t bytes = 0;
  for (const auto& r : skipped) bytes += r.length;
  damage_ = Status::Corruption("reading " + name + ": skipped " + std::to_string(skipped.size()) +
                               " damaged piece(s), " + std::to_string(bytes) + " bytes, first " + skipped.front().what +
                               "; the ticks around them were returned, the damaged ones are missing (run "
                               "`ib-recorder verify` on this storage root; `verify --repair` quarantines them)");
}

void TickMerger::Settle() {
  if (!dirty_) return;
  dirty_ = false;
  Run* const popped = popped_;
  popped_ = nullptr;
  if (popped != nullptr) Advance(*popped);
  if (!status_.ok()) {
    for (auto& r : runs_) {
      if (r->cursor) spare_.push_back(std::move(r->cursor));
    }
    runs_.clear();
    return;
  }
  // Usually the run just popped holds the next tick too, or the runner-up
  // does: compare with the runner-up only, unless runs came or went.
  if (popped != nullptr && !popped->empty && !rescan_ && runs_.size() > 1) {
    const Tick& a = *runs_[best_]->tick;
    const Tick& b = *runs_[second_]->tick;
    if (KeyLess(a, b) || (!KeyLess(b, a) && best_ < second_)) return;
    if (runs_.size() == 2) {
      std::swap(best_, second_);
      return;
    }
  }
  rescan_ = false;
  std::erase_if(runs_, [this](std::unique_ptr<Run>& r) {
    if (!r->empty) return false;
    if (r->cursor) spare_.push_back(std::move(r->cursor));
    return true;
  });
  // runs_ stays in the order files were added, so keeping the first of equal
  // keys breaks ties by that order.
  best_ = 0;
  second_ = 1;
  for (std::size_t i = 1; i < runs_.size(); ++i) {
    if (KeyLess(*runs_[i]->tick, *runs_[best_]->tick)) {
      second_ = best_;
      best_ = i;
    } else if (i != second_ && (second_ == best_ || KeyLess(*runs_[i]->tick, *runs_[second_]->tick))) {
      second_ = i;
    }
  }
}

bool TickMerger::Done() {
  Settle();
  return runs_.empty();
}

TimeUs TickMerger::NextTimestamp() {
  Settle();
  return runs_[best_]->tick->timestamp_us;
}

const Tick& TickMerger::Pop(std::string_view* raw_body) {
  Settle();
  Run& run = *runs_[best_];
  if (raw_body != nullptr) *raw_body = run.body;
  popped_ = &run;
  dirty_ = true;
  return *run.tick;
}

std::unique_ptr<format::TickFileCursor> TickMerger::TakeSpareCursor() {
  if (spare_.empty()) return nullptr;
  auto c = std::move(spare_.back());
  spare_.pop_back();
  return c;
}

}  // namespace ibr::query
