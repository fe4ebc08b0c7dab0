// Helpers for daemon tests: v2 lines, a WriterService on a ManualClock and a
// fault-injecting file system, and read-only looks at its catalog and files.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/time_text.h"
#include "daemon/writer_service.h"
#include "ingest/v2_decoder.h"
#include "query/query_engine.h"
#include "storage/layout.h"
#include "storage/storage_test_util.h"
#include "support/fault_injecting_file_system.h"

namespace ibr::testing {

inline std::string QuoteLine(std::uint32_t cid, TimeUs ts, double bid, std::uint64_t sequence = 0) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"type":"tick","stream_id":"bg_%u_bid_ask","timestamp":"%s","data":{"contract_id":%u,)"
                R"("tick_type":"bid_ask","bid_price":%.2f,"bid_size":3.0,"ask_price":%.2f,"ask_size":4.0%s}})",
                cid, FormatIsoTimestamp(ts).c_str(), cid, bid, bid + 0.25,
                sequence ? (",\"sequence\":" + std::to_string(sequence)).c_str() : "");
  return buf;
}

inline std::string TradeLine(std::uint32_t cid, TimeUs ts, double price) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"type":"tick","stream_id":"bg_%u_last","timestamp":"%s","data":{"contract_id":%u,)"
                R"("tick_type":"last","price":%.2f,"size":1.0,"exchange":"CME"}})",
                cid, FormatIsoTimestamp(ts).c_str(), cid, price);
  return buf;
}

// type: "error" (code), "complete" (reason) or "info" (status).
inline std::string LifecycleLine(const std::string& type, std::uint32_t cid, TimeUs ts, const std::string& code) {
  const char* key = type == "error" ? "code" : type == "complete" ? "reason" : "status";
  return R"({"type":")" + type + R"(","stream_id":"bg_)" + std::to_string(cid) + R"(_bid_ask","timestamp":")" +
         FormatIsoTimestamp(ts) + R"(","data":{")" + key + R"(":")" + code + R"("}})";
}

class WriterServiceFixture : public ::testing::Test {
 protected:
  static constexpr std::uint32_t kAapl = 265598;
  static constexpr std::uint32_t kMnq = 711280073;

  WriterServiceFixture() : clock_(T("2025-03-10T14:00:00Z")) {}
  ~WriterServiceFixture() override {
    service_.reset();
    if (HasFailure()) {
      for (const auto& l : log_) std::fprintf(stderr, "recorder log: %s\n", l.c_str());
    }
  }

  daemon::RecorderConfig Config() const {
    daemon::RecorderConfig c;
    c.environment = "development";
    c.storage_path = dir_.path() + "/store";
    c.instance_name = "test-recorder";
    c.source = "http";
    c.recorder_port = 8102;
    c.client_id = 12;
    c.tracked = {{kAapl, "AAPL", {TickType::kBidAsk, TickType::kLast}, 2}, {kMnq, "MNQ", {TickType::kBidAsk}, 1}};
    c.min_free_bytes = 1 << 20;
    c.api_key = "never-shown-key";
    return c;
  }

  daemon::WriterServiceOptions Options() {
    daemon::WriterServiceOptions o;
    o.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
    };
    return o;
  }

  void StartService() { StartService(Config(), Options()); }
  void StartService(const daemon::RecorderConfig& c, daemon::WriterServiceOptions o) {
    auto s = daemon::WriterService::Start(c, fs_, clock_, std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(s.value());
  }

  void Submit(const std::string& line, std::uint64_t n = 0) {
    service_->Submit(decoder_.Decode(line, clock_.Now()), n, line);
  }

  // Lets the writer handle everything queued, moves the clock on by `d`, and
  // has the writer run its periodic work at the new time. (The writer also
  // wakes by itself; handling the queue first keeps a wake-up at the new time
  // from flushing before queued items are handled.)
  void AdvanceAndSync(TimeUs d) {
    ASSERT_TRUE(service_->Barrier().ok());
    clock_.Advance(d);
    ASSERT_TRUE(service_->Barrier().ok());
  }

  std::unique_ptr<catalog::Catalog> ReadCatalog() {
    auto c = catalog::Catalog::Open(storage::CatalogPath(Config().storage_path), catalog::Catalog::Mode::kReadOnly,
                                    clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }

  catalog::SessionRow Session(std::int64_t id) {
    auto cat = ReadCatalog();
    auto s = cat->GetSession(id);
    EXPECT_TRUE(s.ok() && s->has_value());
    return s.ok() && s->has_value() ? **s : catalog::SessionRow{};
  }

  bool Logged(const std::string& part) {
    std::lock_guard<std::mutex> lock(log_mu_);
    for (const auto& l : log_) {
      if (l.find(part) != std::string::npos) return true;
    }
    return false;
  }

  TempDir dir_;
  FaultInjectingFileSystem fs_;
  ManualClock clock_;
  ingest::V2Decoder decoder_;
  std::unique_ptr<daemon::WriterService> service_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// Collects query results.
class CollectSink final : public query::TickSink {
 public:
  Status OnTick(const Tick& t, std::string_view) override {
    ticks.push_back(t);
    return Status::Ok();
  }
  std::vector<Tick> ticks;
};

}  // namespace ibr::testing
