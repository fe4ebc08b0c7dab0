// Helpers for the legacy (import) tests: temp dirs, writing synthetic
// ib-stream trees (v2 JSON lines, v2 protobuf frames with little-endian
// lengths, v3 JSON lines, v3 protobuf frames with big-endian lengths),
// opening a Store on a manual clock, reading ticks back through the query engine.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/tick.h"
#include "common/time_text.h"
#include "query/query_engine.h"
#include "storage/store.h"
#include "tick_stream.pb.h"

namespace ibr::legacy_testing {

class LegacyTempDir {
 public:
  LegacyTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-legacy-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~LegacyTempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline TimeUs AtIso(const char* iso) { return *ParseIsoTimestamp(iso); }

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string LittleEndianFrame(const std::string& body) {
  const auto n = static_cast<std::uint32_t>(body.size());
  std::string out{static_cast<char>(n & 0xFF), static_cast<char>((n >> 8) & 0xFF), static_cast<char>((n >> 16) & 0xFF),
                  static_cast<char>(n >> 24)};
  return out + body;
}

inline std::string BigEndianFrame(const std::string& body) {
  const auto n = static_cast<std::uint32_t>(body.size());
  std::string out{static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xFF), static_cast<char>((n >> 8) & 0xFF),
                  static_cast<char>(n & 0xFF)};
  return out + body;
}

// A v2 StreamMessage as ib-stream's ProtobufStorage wrote it (metadata values as strings).
inline std::string V2TickBody(const std::string& stream_id, TimeUs ts, std::uint32_t cid, const std::string& tick_type,
                              const std::function<void(ib_stream::TickData&)>& fill,
                              const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  ib_stream::StreamMessage m;
  m.set_type("tick");
  m.set_stream_id(stream_id);
  m.mutable_timestamp()->set_seconds(ts / kUsPerSecond);
  m.mutable_timestamp()->set_nanos(static_cast<int>(ts % kUsPerSecond) * 1000);
  auto* td = m.mutable_tick_data();
  td->set_contract_id(cid);
  td->set_tick_type(tick_type);
  fill(*td);
  for (const auto& [k, v] : metadata) (*m.mutable_metadata())[k] = v;
  return m.SerializeAsString();
}

// v3 TickMessage bytes, hand-encoded (field numbers of ib_stream.v3.TickMessage).
class V3Body {
 public:
  V3Body& Varint(int field, std::uint64_t v) {
    Key(field, 0);
    PutVarint(v);
    return *this;
  }
  V3Body& Double(int field, double d) {
    Key(field, 1);
    std::uint64_t bits;
    std::memcpy(&bits, &d, 8);
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
    return *this;
  }
  V3Body& String(int field, const std::string& s) {
    Key(field, 2);
    PutVarint(s.size());
    bytes_ += s;
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  void Key(int field, int wire_type) { PutVarint(static_cast<std::uint64_t>(field) << 3 | static_cast<std::uint64_t>(wire_type)); }
  void PutVarint(std::uint64_t v) {
    while (v >= 0x80) {
      bytes_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    bytes_.push_back(static_cast<char>(v));
  }
  std::string bytes_;
};

inline storage::StoreOptions LegacyStoreOptions(const std::string& root) {
  storage::StoreOptions o;
  o.root = root;
  o.instance_name = "import-test";
  o.environment = "development";
  o.seal_grace = 300 * kUsPerSecond;
  return o;
}

class CollectingSink final : public query::TickSink {
 public:
  Status OnTick(const Tick& tick, std::string_view) override {
    ticks.push_back(tick);
    return Status::Ok();
  }
  std::vector<Tick> ticks;
};

// Every stored tick of `cid` (all tick types) in [from, to).
inline std::vector<Tick> StoredTicks(storage::Store& store, std::uint32_t cid, TimeUs from, TimeUs to) {
  query::QueryEngine engine(store.fs(), store.options().root, store.catalog());
  query::TickQuery q;
  q.contract_id = cid;
  q.tick_types = {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};
  q.ranges = {{from, to}};
  CollectingSink sink;
  auto r = engine.Run(q, sink);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return sink.ticks;
}

}  // namespace ibr::legacy_testing
