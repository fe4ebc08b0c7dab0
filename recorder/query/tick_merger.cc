// TickMerger: k-way merge over decoded files.
#include "query/tick_merger.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace ibr::query {
namespace {

inline bool KeyLess(const Tick& a, const Tick& b) {
  if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
  return a.arrival_seq < b.arrival_seq;
}

}  // namespace

// One file's ticks in range, in key order: either a contiguous slice of
// `contents.ticks` (the usual case: files are written in arrival order) or an
// index permutation when the file is not sorted.
struct TickMerger::Run {
  format::TickFileContents contents;
  std::vector<std::uint32_t> order;  // used when !sorted
  bool sorted = true;
  std::size_t pos = 0, end = 0;

  std::size_t Index() const { return sorted ? pos : order[pos]; }
  const Tick& Current() const { return contents.ticks[Index()]; }
  bool Empty() const { return pos >= end; }
};

TickMerger::TickMerger() = default;
TickMerger::~TickMerger() = default;

void TickMerger::AddFile(format::TickFileContents contents, TimeRange range) {
  auto run = std::make_unique<Run>();
  run->contents = std::move(contents);
  const auto& ticks = run->contents.ticks;
  if (std::is_sorted(ticks.begin(), ticks.end(), KeyLess)) {
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
  if (!run->Empty()) runs_.push_back(std::move(run));
  dirty_ = true;
}

void TickMerger::Settle() {
  if (!dirty_) return;
  dirty_ = false;
  std::erase_if(runs_, [](const std::unique_ptr<Run>& r) { return r->Empty(); });
  // runs_ stays in the order files were added, so keeping the first of equal
  // keys breaks ties by that order.
  best_ = 0;
  for (std::size_t i = 1; i < runs_.size(); ++i) {
    if (KeyLess(runs_[i]->Current(), runs_[best_]->Current())) best_ = i;
  }
}

bool TickMerger::Done() {
  Settle();
  return runs_.empty();
}

TimeUs TickMerger::NextTimestamp() {
  Settle();
  return runs_[best_]->Current().timestamp_us;
}

const Tick& TickMerger::Pop(std::string_view* raw_body) {
  Settle();
  Run& run = *runs_[best_];
  std::size_t i = run.Index();
  if (raw_body != nullptr) {
    *raw_body = i < run.contents.raw_bodies.size() ? run.contents.raw_bodies[i] : std::string_view();
  }
  ++run.pos;
  dirty_ = true;
  return run.contents.ticks[i];
}

}  // namespace ibr::query
