// Helpers for storage tests: temp storage roots, tick builders, reading back.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/tick.h"
#include "common/time_text.h"
#include "format/tick_file.h"
#include "storage/layout.h"
#include "storage/store.h"

namespace ibr::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-storage-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline TimeUs T(const char* iso) { return *ParseIsoTimestamp(iso); }

// A tick of contract `cid` at `ts` with its stream id; fields per type are the caller's.
inline Tick StreamTick(std::uint32_t cid, TickType type, TimeUs ts) {
  Tick t;
  t.contract_id = cid;
  t.tick_type = type;
  t.timestamp_us = ts;
  t.stream_id = "bg_" + std::to_string(cid) + "_" + std::string(TickTypeName(type));
  return t;
}

inline Tick Quote(std::uint32_t cid, TimeUs ts, double bid, double ask) {
  Tick t = StreamTick(cid, TickType::kBidAsk, ts);
  t.bid_price = bid;
  t.ask_price = ask;
  t.bid_size = 3;
  t.ask_size = 4;
  t.unix_time = ts / kUsPerSecond;
  return t;
}

inline Tick Trade(std::uint32_t cid, TimeUs ts, double price, double size) {
  Tick t = StreamTick(cid, TickType::kLast, ts);
  t.price = price;
  t.size = size;
  t.exchange = "CME";
  return t;
}

// Base fixture: a temp storage root and a manual clock starting at `now`.
class StoreTest : public ::testing::Test {
 protected:
  explicit StoreTest(TimeUs now) : clock_(now) {}
  std::unique_ptr<storage::Store> OpenStore(const storage::StoreOptions& o, FileSystem& fs) {
    auto s = storage::Store::Open(o, fs, clock_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  TempDir dir_;
  ManualClock clock_;
};

inline storage::StoreOptions Options(const std::string& root) {
  storage::StoreOptions o;
  o.root = root;
  o.instance_name = "test-instance";
  o.environment = "development";
  o.seal_grace = 300 * kUsPerSecond;
  return o;
}

// Every tick in every tick file under root (sealed or open), as recovery would read them.
inline std::vector<Tick> ReadAllTicks(const std::string& root) {
  std::vector<Tick> out;
  for (auto& e : std::filesystem::recursive_directory_iterator(root + "/protobuf")) {
    if (!e.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(e.path(), root).string();
    auto name = storage::ParseTickFileRelPath(rel);
    if (!name) continue;
    auto bytes = PosixFileSystem::Instance().ReadFile(e.path().string());
    EXPECT_TRUE(bytes.ok());
    auto c = format::DecodeTickFile(std::move(bytes.value()),
                                    name->sealed ? format::TickFileKind::kSealed : format::TickFileKind::kOpen, false);
    EXPECT_TRUE(c.ok()) << rel << ": " << c.status().ToString();
    if (!c.ok()) continue;
    for (auto& t : c->ticks) out.push_back(t);
  }
  std::sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.arrival_seq < b.arrival_seq; });
  return out;
}

}  // namespace ibr::testing
