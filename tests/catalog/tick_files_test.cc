// FindFiles boundaries and index use; daily statistics and VWAP arithmetic.
#include "catalog/catalog.h"
#include "catalog_test_util.h"

namespace ibr::catalog::testing {
namespace {

class TickFilesTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    cat_ = OpenRw();
    ASSERT_TRUE(cat_);
  }

  // A file of `hour` whose ticks span [from, to] (offsets from the hour).
  TickFileRow Add(std::uint32_t contract, TickType tt, const char* hour, int part, TimeUs from, TimeUs to,
                  FileStatus status = FileStatus::kSealed) {
    TickFileRow f;
    f.contract_id = contract;
    f.tick_type = tt;
    f.hour_bucket = T(hour);
    f.part = part;
    f.file_path = std::to_string(contract) + "/" + hour + "/" + std::to_string(part);
    f.status = status;
    f.start_time = f.hour_bucket + from;
    f.end_time = f.hour_bucket + to;
    f.message_count = 1;
    auto id = cat_->UpsertTickFile(f);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    f.id = id.ok() ? *id : 0;
    return f;
  }

  // "HH:part" of each file FindFiles returns, in order.
  std::vector<std::string> Find(std::uint32_t contract, TickType tt, const char* start, const char* end) {
    auto got = cat_->FindFiles(contract, tt, T(start), T(end));
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    std::vector<std::string> out;
    if (!got.ok()) return out;
    for (const auto& f : *got) out.push_back(FormatIsoTimestamp(f.hour_bucket).substr(11, 2) + ":" + std::to_string(f.part));
    return out;
  }

  std::unique_ptr<Catalog> cat_;
};

using V = std::vector<std::string>;
constexpr TimeUs kMin = kUsPerMinute;

TEST_F(TickFilesTest, FindFilesHalfOpenEndAndMidHourStart) {
  const std::uint32_t c = 4294967295u;
  Add(c, TickType::kLast, "2025-03-10T10:00:00Z", 1, 0, kUsPerHour - 1);
  Add(c, TickType::kLast, "2025-03-10T11:00:00Z", 1, 5 * kMin, 10 * kMin);
  Add(c, TickType::kLast, "2025-03-10T11:00:00Z", 2, 40 * kMin, 50 * kMin);
  Add(c, TickType::kLast, "2025-03-10T12:00:00Z", 1, 0, kMin);
  // Other contract / tick type never show up.
  Add(c - 1, TickType::kLast, "2025-03-10T11:00:00Z", 1, 0, kMin);
  Add(c, TickType::kAllLast, "2025-03-10T11:00:00Z", 1, 0, kMin);

  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T11:00:00Z", "2025-03-10T12:00:00Z"), (V{"11:1", "11:2"}));
  // The end is exclusive: a range ending at 12:00 does not need the 12:00 file (its first tick is 12:00:00).
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T11:30:00Z", "2025-03-10T12:00:00Z"), (V{"11:1", "11:2"}));
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T11:30:00Z", "2025-03-10T12:00:00.000001Z"), (V{"11:1", "11:2", "12:1"}));
  // A mid-hour start finds the file of that hour even though its ticks ended before the start.
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T11:59:00Z", "2025-03-10T11:59:30Z"), (V{"11:1", "11:2"}));
  // One microsecond before 11:00 is still hour 10 only.
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T10:59:59.999999Z", "2025-03-10T11:00:00Z"), (V{"10:1"}));
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T09:00:00Z", "2025-03-10T13:00:00Z"),
            (V{"10:1", "11:1", "11:2", "12:1"}));
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T13:00:00Z", "2025-03-10T14:00:00Z"), V{});
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T12:00:00Z", "2025-03-10T11:00:00Z"), V{});  // empty range
  EXPECT_EQ(Find(c, TickType::kLast, "2025-03-10T11:00:00Z", "2025-03-10T11:00:00Z"), V{});
  EXPECT_EQ(Find(c, TickType::kAllLast, "2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z"), V{"11:1"});
}

TEST_F(TickFilesTest, FindFilesFindsOpenFileWhoseEndTimeLags) {
  // The writer updates end_time only now and then: the catalog says 14:00:01
  // while ticks up to 14:40 are on disk.
  Add(9, TickType::kBidAsk, "2025-03-10T14:00:00Z", 1, kUsPerSecond, kUsPerSecond, FileStatus::kOpen);
  EXPECT_EQ(Find(9, TickType::kBidAsk, "2025-03-10T14:30:00Z", "2025-03-10T14:35:00Z"), V{"14:1"});
  auto got = cat_->FindFiles(9, TickType::kBidAsk, T("2025-03-10T14:30:00Z"), T("2025-03-10T14:35:00Z"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[0].status, FileStatus::kOpen);
}

TEST_F(TickFilesTest, FindFilesUsesTheIndex) {
  auto st = cat_->db().Prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM tick_files WHERE contract_id = ?1 AND tick_type = ?2 "
      "AND hour_bucket > ?3 AND hour_bucket < ?4 ORDER BY hour_bucket, part");
  ASSERT_TRUE(st.ok());
  std::string plan;
  while (st->Step()) plan += st->Text(3) + "\n";
  EXPECT_NE(plan.find("SEARCH tick_files USING"), std::string::npos) << plan;
  EXPECT_NE(plan.find("hour_bucket>? AND hour_bucket<?"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;  // no sort step
}

// A `last` file with per-file statistics as the writer computes them.
TickFileRow Stats(std::uint32_t c, const char* hour, std::int64_t n, double lo, double hi, double psum,
                  std::int64_t pcount, double vol, double notional) {
  TickFileRow f;
  f.contract_id = c;
  f.tick_type = TickType::kLast;
  f.hour_bucket = T(hour);
  f.file_path = hour;
  f.start_time = f.hour_bucket + kUsPerSecond;
  f.end_time = f.hour_bucket + kUsPerHour - kUsPerSecond;
  f.message_count = n;
  f.file_size_bytes = n * 20;
  f.min_price = lo;
  f.max_price = hi;
  f.price_sum = psum;
  f.price_count = pcount;
  f.total_volume = vol;
  f.notional = notional;
  return f;
}

TEST_F(TickFilesTest, DailyStatsAggregateTheDaysFilesOnly) {
  const std::uint32_t c = 265598;
  // Day 2025-03-10: two files. Neighbouring days' edge hours must not count.
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(c, "2025-03-10T14:00:00Z", 3, 100, 102, 303, 3, 30, 3040)).ok());
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(c, "2025-03-10T15:00:00Z", 2, 99, 101, 200, 2, 10, 1000)).ok());
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(c, "2025-03-09T23:00:00Z", 5, 1, 1000, 5, 5, 5, 5)).ok());
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(c, "2025-03-11T00:00:00Z", 5, 1, 1000, 5, 5, 5, 5)).ok());
  ASSERT_TRUE(cat_->RecomputeDailyStats(c, TickType::kLast, "2025-03-10").ok());

  auto rows = cat_->ListDailyStats(c);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const DailyTickStatsRow& d = (*rows)[0];
  EXPECT_EQ(d.date, "2025-03-10");
  EXPECT_EQ(d.total_files, 2);
  EXPECT_EQ(d.total_messages, 5);
  EXPECT_EQ(d.total_size_bytes, 100);
  EXPECT_EQ(d.first_tick, T("2025-03-10T14:00:01Z"));
  EXPECT_EQ(d.last_tick, T("2025-03-10T15:59:59Z"));
  EXPECT_EQ(d.min_price, 99.0);
  EXPECT_EQ(d.max_price, 102.0);
  ASSERT_TRUE(d.avg_price.has_value());
  EXPECT_DOUBLE_EQ(*d.avg_price, 503.0 / 5.0);  // sum(price_sum) / sum(price_count), not a mean of means
  EXPECT_EQ(d.total_volume, 40.0);
  ASSERT_TRUE(d.vwap.has_value());
  EXPECT_DOUBLE_EQ(*d.vwap, 4040.0 / 40.0);  // sum(notional) / sum(volume)
  EXPECT_EQ(QueryText(*cat_, "SELECT first_tick FROM daily_tick_stats"), "2025-03-10T14:00:01.000000Z");
}

TEST_F(TickFilesTest, DailyStatsWithoutVolumeHaveNoVwap) {
  TickFileRow f = Stats(1, "2025-03-10T14:00:00Z", 4, 10, 11, 42, 4, 0, 0);
  f.tick_type = TickType::kBidAsk;
  f.total_volume.reset();
  f.notional.reset();
  ASSERT_TRUE(cat_->UpsertTickFile(f).ok());
  TickFileRow zero = Stats(2, "2025-03-10T14:00:00Z", 1, 10, 10, 10, 1, 0, 0);  // trades of size 0
  ASSERT_TRUE(cat_->UpsertTickFile(zero).ok());
  TickFileRow no_price = Stats(3, "2025-03-10T14:00:00Z", 1, 0, 0, 0, 0, 0, 0);
  no_price.min_price.reset();
  no_price.max_price.reset();
  no_price.price_sum.reset();
  ASSERT_TRUE(cat_->UpsertTickFile(no_price).ok());
  ASSERT_TRUE(cat_->RecomputeAllDailyStats().ok());
  auto rows = cat_->ListDailyStats();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_FALSE((*rows)[0].total_volume.has_value());
  EXPECT_FALSE((*rows)[0].vwap.has_value());
  EXPECT_DOUBLE_EQ((*rows)[0].avg_price.value_or(-1), 10.5);
  EXPECT_EQ((*rows)[1].total_volume, 0.0);
  EXPECT_FALSE((*rows)[1].vwap.has_value());
  EXPECT_FALSE((*rows)[2].avg_price.has_value());
  EXPECT_FALSE((*rows)[2].min_price.has_value());
}

TEST_F(TickFilesTest, DailyStatsRowGoesWhenItsFilesGo) {
  TickFileRow f = Stats(1, "2025-03-10T14:00:00Z", 4, 10, 11, 42, 4, 1, 10);
  ASSERT_TRUE(cat_->UpsertTickFile(f).ok());
  ASSERT_TRUE(cat_->RecomputeDailyStats(1, TickType::kLast, "2025-03-10").ok());
  ASSERT_EQ(cat_->ListDailyStats()->size(), 1u);
  // Recomputing unchanged data hands out no change number.
  auto before = *cat_->MaxChangeNo();
  ASSERT_TRUE(cat_->RecomputeDailyStats(1, TickType::kLast, "2025-03-10").ok());
  EXPECT_EQ(*cat_->MaxChangeNo(), before);

  ASSERT_TRUE(cat_->DeleteTickFile(1, TickType::kLast, f.hour_bucket, 1).ok());
  ASSERT_TRUE(cat_->RecomputeDailyStats(1, TickType::kLast, "2025-03-10").ok());
  EXPECT_TRUE(cat_->ListDailyStats()->empty());
  EXPECT_EQ(QueryText(*cat_, "SELECT row_key FROM tombstones WHERE table_name = 'daily_tick_stats'"),
            R"({"contract_id":1,"tick_type":"last","date":"2025-03-10"})");
  // No files and no row: nothing to do.
  ASSERT_TRUE(cat_->RecomputeDailyStats(1, TickType::kLast, "2025-03-12").ok());
}

TEST_F(TickFilesTest, RecomputeAllRemovesRowsWithoutFiles) {
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(1, "2025-03-10T14:00:00Z", 1, 1, 1, 1, 1, 1, 1)).ok());
  ASSERT_TRUE(cat_->UpsertTickFile(Stats(1, "2025-03-11T14:00:00Z", 1, 1, 1, 1, 1, 1, 1)).ok());
  ASSERT_TRUE(cat_->RecomputeAllDailyStats().ok());
  ASSERT_EQ(cat_->ListDailyStats()->size(), 2u);
  ASSERT_TRUE(cat_->DeleteTickFile(1, TickType::kLast, T("2025-03-10T14:00:00Z"), 1).ok());
  ASSERT_TRUE(cat_->RecomputeAllDailyStats().ok());
  auto rows = cat_->ListDailyStats();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].date, "2025-03-11");
}

TEST_F(TickFilesTest, DailyStatsRefuseABadDate) {
  for (const char* bad : {"2025-3-10", "2025-02-30", "2025-03-10T00:00:00Z", "", "yesterday"}) {
    Status s = cat_->RecomputeDailyStats(1, TickType::kLast, bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find(bad), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace ibr::catalog::testing
