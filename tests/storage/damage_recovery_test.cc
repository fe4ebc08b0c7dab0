// Recovery and verify on damaged open files, one named case each (after
// LevelDB's log_test): a damaged frame between valid ones costs that frame
// only and its bytes are kept under quarantine/; a header that still decodes
// but is not the one written is found; only a torn tail past the durable size
// is cut without a copy; duplicate ticks are reported.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "format/frame.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, T, ReadAllTicks, StoreTest

constexpr const char* kFile = "protobuf/265598/bid_ask/2025/03/10/14_ticks.pb";

class DamageRecoveryTest : public StoreTest {
 protected:
  DamageRecoveryTest() : StoreTest(T("2025-03-10T14:30:00Z")) {}
  std::string Abs(const std::string& rel) const { return dir_.path() + "/" + rel; }
  // Writes n durable quotes (one per ms) and returns the frame offsets in the open file.
  std::vector<std::uint64_t> WriteQuotes(int n) {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    for (int i = 0; i < n; ++i) {
      Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + i * 1000, 229.95 + i, 229.97 + i);
      EXPECT_TRUE(s->writer().Append(t).ok());
    }
    EXPECT_TRUE(s->writer().Flush(true).ok());
    return FrameOffsets();
  }
  std::vector<std::uint64_t> FrameOffsets() {
    std::string bytes = Bytes();
    format::FrameReader r(bytes);
    std::string_view body;
    std::vector<std::uint64_t> out;
    r.Next(&body);  // header
    for (std::uint64_t at = r.offset(); r.Next(&body); at = r.offset()) out.push_back(at);
    return out;
  }
  std::string Bytes() {
    std::ifstream in(Abs(kFile), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Flip(std::uint64_t at, unsigned char mask = 0x01) {
    std::fstream f(Abs(kFile), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(static_cast<char>(c ^ mask));
  }
  // verify without --repair: what it reports (and it changes nothing).
  StoreCheckReport Check() {
    const std::string before = Bytes();
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadOnly, clock_);
    EXPECT_TRUE(cat.ok());
    StoreCheckOptions o;
    o.root = dir_.path();
    auto r = CheckStore(o, PosixFileSystem::Instance(), **cat, clock_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(Bytes(), before) << "check mode changed the file";
    return r.ok() ? *r : StoreCheckReport{};
  }
  std::int64_t CatalogCount() {
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadOnly, clock_);
    auto rows = (*cat)->ListTickFiles();
    std::int64_t n = 0;
    for (const auto& r : *rows) n += r.message_count;
    return n;
  }
  std::vector<std::string> Quarantined() {
    std::vector<std::string> out;
    const std::string q = dir_.path() + "/quarantine";
    if (!std::filesystem::exists(q)) return out;
    for (auto& e : std::filesystem::recursive_directory_iterator(q)) {
      if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir_.path()).string());
    }
    return out;
  }
  // Recovery as every writer runs it (and `verify --repair`).
  StoreCheckReport Recover() {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    return s ? s->recovery() : StoreCheckReport{};
  }
  static bool Says(const StoreCheckReport& r, const std::string& what) {
    for (const auto& p : r.problems) {
      if (p.what.find(what) != std::string::npos || p.repair.find(what) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(DamageRecoveryTest, FlippedByteInTheMiddleCostsOneTickAndIsQuarantined) {
  const auto offsets = WriteQuotes(300);
  const std::uint64_t frame = offsets[240], next = offsets[241];
  const std::string damaged_frame = Bytes().substr(frame, next - frame);
  Flip(frame + 30);

  StoreCheckReport check = Check();
  EXPECT_TRUE(Says(check, "valid frames follow")) << check.problems.size();
  EXPECT_TRUE(Says(check, "rewrite the file without them"));

  StoreCheckReport rec = Recover();
  EXPECT_TRUE(Says(rec, "rewrote the file without them"));
  EXPECT_EQ(rec.dropped_bytes, 0u);
  EXPECT_EQ(rec.quarantined_bytes, next - frame);
  auto ticks = ReadAllTicks(dir_.path());
  ASSERT_EQ(ticks.size(), 299u);
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const int ms = static_cast<int>(i < 240 ? i : i + 1);
    EXPECT_EQ(ticks[i].timestamp_us, T("2025-03-10T14:00:00Z") + ms * 1000) << i;
  }
  EXPECT_EQ(CatalogCount(), 299);
  const auto kept = Quarantined();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], "quarantine/" + std::string(kFile) + ".at-" + std::to_string(frame) + ".damaged");
  std::ifstream in(Abs(kept[0]), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.size(), damaged_frame.size());
  EXPECT_NE(bytes, damaged_frame);  // the damaged copy, flipped byte and all
  EXPECT_TRUE(Check().problems.empty());
}

TEST_F(DamageRecoveryTest, DamagedLengthPrefixCostsOneTick) {
  const auto offsets = WriteQuotes(50);
  Flip(offsets[20] + 3, 0x40);
  Recover();
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 49u);
  EXPECT_EQ(CatalogCount(), 49);
  EXPECT_TRUE(Check().problems.empty());
}

TEST_F(DamageRecoveryTest, DamagedHeaderThatStillDecodesIsFoundAndRewritten) {
  const auto offsets = WriteQuotes(20);
  const std::string bytes = Bytes();
  const std::size_t at = bytes.find("test-instance");
  ASSERT_LT(at, offsets[0]);
  Flip(at + 2, 0x20);  // "teSt-instance": still a valid header
  StoreCheckReport check = Check();
  EXPECT_TRUE(Says(check, "damaged file header")) << (check.problems.empty() ? "" : check.problems[0].what);
  Recover();
  EXPECT_EQ(Bytes(), bytes);  // the header as written, every tick kept
  EXPECT_EQ(Quarantined().size(), 1u);
  EXPECT_TRUE(Check().problems.empty());
}

TEST_F(DamageRecoveryTest, UnreadableHeaderKeepsTheTicksBehindIt) {
  WriteQuotes(20);
  const std::string bytes = Bytes();
  Flip(2, 0x10);  // the header's length prefix
  EXPECT_TRUE(Says(Check(), "header"));
  Recover();
  EXPECT_EQ(Bytes(), bytes);
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 20u);
  EXPECT_TRUE(Check().problems.empty());
}

TEST_F(DamageRecoveryTest, DamagedLastDurableFrameIsKeptInQuarantineBeforeTheCut) {
  const auto offsets = WriteQuotes(10);
  const std::uint64_t last = offsets.back();
  Flip(last + 12);
  StoreCheckReport rec = Recover();
  EXPECT_TRUE(Says(rec, "inside the"));
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 9u);
  ASSERT_EQ(Quarantined().size(), 1u);
  EXPECT_EQ(rec.dropped_bytes, 0u);
  EXPECT_TRUE(Check().problems.empty());
}

TEST_F(DamageRecoveryTest, TornTailPastTheDurableSizeIsCutWithoutACopy) {
  WriteQuotes(10);
  const std::string bytes = Bytes();
  { std::ofstream(Abs(kFile), std::ios::app | std::ios::binary) << std::string("\x00\x00\x00\x30half a frame", 16); }
  StoreCheckReport rec = Recover();
  EXPECT_EQ(rec.dropped_bytes, 16u);
  EXPECT_EQ(Bytes(), bytes);
  EXPECT_TRUE(Quarantined().empty());
}

TEST_F(DamageRecoveryTest, DuplicateTicksAreReported) {
  {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    for (int round = 0; round < 2; ++round) {  // the same batch stored twice
      for (int i = 0; i < 5; ++i) {
        Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + i * 1000, 229.95, 229.97);
        t.sequence = static_cast<std::uint64_t>(i + 1);
        ASSERT_TRUE(s->writer().Append(t).ok());
      }
    }
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  StoreCheckReport r = Check();
  EXPECT_EQ(r.duplicate_ticks, 5u);
  EXPECT_TRUE(Says(r, "exact copies"));
}

TEST_F(DamageRecoveryTest, TheSealerNeverSealsAwayTicksAfterADamagedFrame) {
  const auto offsets = WriteQuotes(30);
  Flip(offsets[10] + 25);
  {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());  // recovery takes the frame out
    clock_.Set(T("2025-03-10T16:00:00Z"));
    auto sealed = s->SealDue();
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->sealed, 1);
  }
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 29u);
}

// kill -9 during a POST /v2/ingest batch of a `run --source http` writer: its
// bytes reached the file, its commit did not, its client got no answer.
TEST_F(DamageRecoveryTest, AnUnacknowledgedBatchOfAnHttpWriterIsCutAtRecovery) {
  for (const bool http : {false, true}) {
    SCOPED_TRACE(http ? "source http" : "source sim");
    std::filesystem::remove_all(dir_.path() + "/protobuf");
    std::filesystem::remove_all(dir_.path() + "/metadata");
    const auto offsets = WriteQuotes(10);
    {
      auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadWrite, clock_);
      ASSERT_TRUE(cat.ok());
      auto inst = (*cat)->GetInstance();
      catalog::SessionRow row;
      row.server_instance_id = (*inst)->id;
      row.session_start = T("2025-03-10T14:00:00Z");
      row.config_snapshot = http ? R"({"environment":"development","source":"http"})" : R"({"source":"sim"})";
      ASSERT_TRUE((*cat)->InsertSession(row).ok());  // left active: the writer was killed
    }
    const std::string committed = Bytes();
    // Whole, valid frames past the catalog's size (copies of the last two: an unanswered resend).
    const std::string extra = committed.substr(offsets[8]);
    { std::ofstream(Abs(kFile), std::ios::app | std::ios::binary) << extra; }
    StoreCheckReport rec = Recover();
    if (http) {
      EXPECT_EQ(Bytes(), committed);
      EXPECT_TRUE(Says(rec, "never acknowledged"));
      EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 10u);
    } else {
      EXPECT_EQ(Bytes(), committed + extra);  // a live source's ticks handed to the OS survive kill -9
    }
  }
}

TEST_F(DamageRecoveryTest, TheSealerSealsEveryValidFrameAndQuarantinesADamagedOne) {
  auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
  for (int i = 0; i < 30; ++i) {
    Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + i * 1000, 229.95, 229.97);
    ASSERT_TRUE(s->writer().Append(t).ok());
  }
  auto closed = s->writer().CloseHoursEndingBy(T("2025-03-10T16:00:00Z"));
  ASSERT_TRUE(closed.ok());
  ASSERT_EQ(closed->size(), 1u);
  const auto offsets = FrameOffsets();
  Flip(offsets[10] + 25);
  SealerOptions so;
  so.root = dir_.path();
  so.instance_name = "test-instance";
  Sealer sealer(so, PosixFileSystem::Instance(), s->catalog());
  auto r = sealer.Seal(closed->front());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->quarantined_bytes, offsets[11] - offsets[10]);
  EXPECT_EQ(r->row.message_count, 29);
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 29u);
  ASSERT_EQ(Quarantined().size(), 1u);
}

}  // namespace
}  // namespace ibr::storage
