// TickFileLoader: beside a live writer — sealed-name retry, torn tails,
// half-created files, vanished files, damaged sealed files.
#include "query/tick_file_loader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "query_test_util.h"
#include "test_store.h"

namespace ibr::query {
namespace {

using testing::BidAsk;
using testing::T;
using testing::TestStore;

const TimeUs kHour = T("2025-03-10T14:00:00Z");

struct Loaded {
  std::optional<format::TickFileContents> contents;
  std::string note;
  bool read_sealed_instead = false;
};

// OpenTickFile, then every tick its cursor gives.
Result<Loaded> Load(const TestStore& store, const catalog::TickFileRow& row, bool raw_bodies) {
  auto opened = OpenTickFile(PosixFileSystem::Instance(), store.root(), row, format::TickDecode::kFull);
  if (!opened.ok()) return opened.status();
  Loaded out;
  out.note = opened->note;
  out.read_sealed_instead = opened->read_sealed_instead;
  if (opened->cursor) {
    auto c = format::ReadRemainingTicks(*opened->cursor, raw_bodies);
    if (!c.ok()) return c.status();
    out.contents = std::move(c).value();
  }
  return out;
}

std::vector<Tick> ThreeTicks() {
  return {BidAsk(kHour + 1, 1), BidAsk(kHour + 2, 2), BidAsk(kHour + 3, 3)};
}

TEST(TickFileLoaderTest, ReadsOpenAndSealedFiles) {
  TestStore store;
  auto open = store.Write(TickType::kBidAsk, kHour, 1, ThreeTicks(), /*sealed=*/false);
  auto sealed = store.Write(TickType::kBidAsk, kHour, 2, ThreeTicks(), /*sealed=*/true);
  for (const auto& row : {open, sealed}) {
    auto r = Load(store, row, true);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->contents.has_value());
    EXPECT_EQ(r->contents->ticks, ThreeTicks());
    EXPECT_EQ(r->contents->raw_bodies.size(), 3u);
    EXPECT_FALSE(r->read_sealed_instead);
    EXPECT_EQ(r->note, "");
  }
}

TEST(TickFileLoaderTest, OpenFileSealedSinceTheCatalogReadIsReadUnderItsSealedName) {
  TestStore store;
  auto row = store.Write(TickType::kBidAsk, kHour, 1, ThreeTicks(), /*sealed=*/true, "", /*row_says_open=*/true);
  ASSERT_TRUE(row.file_path.ends_with(".pb"));
  auto r = Load(store, row, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->contents.has_value());
  EXPECT_TRUE(r->read_sealed_instead);
  EXPECT_EQ(r->contents->ticks, ThreeTicks());
}

TEST(TickFileLoaderTest, TornTailOfAnOpenFileIsIgnored) {
  TestStore store;
  // Half a frame: a length prefix promising more bytes than are there.
  std::string torn("\x00\x00\x00\x40" "abc", 7);
  auto row = store.Write(TickType::kBidAsk, kHour, 1, ThreeTicks(), false, torn);
  auto r = Load(store, row, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->contents.has_value());
  EXPECT_EQ(r->contents->ticks, ThreeTicks());
}

TEST(TickFileLoaderTest, OpenFileWithoutItsHeaderYetIsSkipped) {
  TestStore store;
  auto row = store.Write(TickType::kBidAsk, kHour, 1, {}, false);
  std::filesystem::resize_file(storage::JoinPath(store.root(), row.file_path), 3);
  auto r = Load(store, row, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->contents.has_value());
  EXPECT_NE(r->note.find("header"), std::string::npos);
}

TEST(TickFileLoaderTest, VanishedFileIsSkippedWithANote) {
  TestStore store;
  auto row = store.Write(TickType::kBidAsk, kHour, 1, ThreeTicks(), true);
  std::filesystem::remove(storage::JoinPath(store.root(), row.file_path));
  auto r = Load(store, row, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->contents.has_value());
  EXPECT_NE(r->note.find(row.file_path), std::string::npos);
}

TEST(TickFileLoaderTest, DamagedSealedFileIsAnError) {
  TestStore store;
  auto row = store.Write(TickType::kBidAsk, kHour, 1, ThreeTicks(), true);
  std::string path = storage::JoinPath(store.root(), row.file_path);
  auto bytes = PosixFileSystem::Instance().ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[damaged.size() / 2] ^= 0x55;
  ASSERT_TRUE(PosixFileSystem::Instance().WriteFileAtomic(path, damaged).ok());
  auto r = Load(store, row, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("verify"), std::string::npos);
}

}  // namespace
}  // namespace ibr::query
