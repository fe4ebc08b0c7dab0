// ReadOnlyService: serves a root beside (or after) its writer without the
// lock; refuses ingest and live streams; status from the catalog.
#include "daemon/read_only_service.h"

#include <gtest/gtest.h>

#include "daemon_test_util.h"

namespace ibr::testing {
namespace {

class ReadOnlyServiceTest : public WriterServiceFixture {};

TEST_F(ReadOnlyServiceTest, NeedsAnExistingCatalog) {
  auto c = Config();
  c.read_only = true;
  auto ro = daemon::ReadOnlyService::Open(c, fs_, clock_);
  ASSERT_FALSE(ro.ok());
  EXPECT_NE(ro.status().message().find("has no readable catalog"), std::string::npos) << ro.status().ToString();
}

TEST_F(ReadOnlyServiceTest, ServesBesideTheWriterAndChangesNothing) {
  StartService();
  const TimeUs t0 = clock_.Now();
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, t0, 229) + "\n" + TradeLine(kAapl, t0 + 5, 229.5) + "\nbad\n").ok());

  auto c = Config();
  c.read_only = true;
  auto ro = daemon::ReadOnlyService::Open(c, fs_, clock_);  // no lock: the writer holds it
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  daemon::RecorderStatus st = (*ro)->Status();
  EXPECT_TRUE(st.read_only);
  EXPECT_EQ(st.instance_name, "test-recorder");
  EXPECT_EQ(st.session_id, 0);
  EXPECT_EQ(st.files_today, 2u);
  EXPECT_EQ(st.files_total, 2u);
  EXPECT_GT(st.bytes_total, 0u);
  EXPECT_TRUE(st.catalog_ok);
  EXPECT_EQ(st.rejects_by_reason["bad_json"], 1u);
  ASSERT_EQ(st.contracts.size(), 2u);
  bool saw_last = false;
  for (const auto& s : st.streams) {
    if (s.contract_id == kAapl && s.tick_type == TickType::kLast) {
      saw_last = true;
      EXPECT_EQ(s.last_tick_time, t0 + 5);
      EXPECT_EQ(s.per_minute.size(), 30u);
    }
  }
  EXPECT_TRUE(saw_last);

  EXPECT_EQ((*ro)->IngestBatch("x").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*ro)->Subscribe(kAapl, {}).status().code(), StatusCode::kFailedPrecondition);
  (*ro)->Submit(decoder_.Decode(QuoteLine(kAapl, t0, 1), t0), 1, "");
  EXPECT_EQ((*ro)->Status().dropped_by_reason["read_only"], 1u);
  EXPECT_EQ((*ro)->storage_root(), Config().storage_path);

  // Status is cached: a new file shows after the refresh interval, not before.
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kMnq, t0, 23260)).ok());
  EXPECT_EQ((*ro)->Status().files_total, 2u);
  clock_.Advance(5 * kUsPerSecond);
  EXPECT_EQ((*ro)->Status().files_total, 3u);
  (*ro)->Stop("nothing to stop");
  // The writer's session is untouched by the reader.
  EXPECT_EQ(Session(service_->session_id()).status, catalog::SessionStatus::kActive);
}

}  // namespace
}  // namespace ibr::testing
