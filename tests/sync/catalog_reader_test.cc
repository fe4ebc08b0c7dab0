#include "catalog_reader.h"

#include <gtest/gtest.h>

#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

const TableRows* Find(const Batch& b, const std::string& table) {
  for (const auto& t : b.tables) {
    if (t.table->name == table) return &t;
  }
  return nullptr;
}

TEST(CatalogReader, HeadNamesTheInstanceAndGeneration) {
  auto cat = TestCatalog::Create(TempDir("reader"), {"production-h1"});
  auto reader = CatalogReader::Open(cat->catalog_path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto head = (*reader)->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->instance_name, "production-h1");
  EXPECT_EQ(head->generation, cat->generation());
  EXPECT_EQ(head->max_change_no, 1);
}

TEST(CatalogReader, MissingCatalogIsAnError) {
  EXPECT_FALSE(CatalogReader::Open(TempDir("none") + "/metadata/catalog.sqlite").ok());
}

TEST(CatalogReader, WindowsFollowChangeNumbersAcrossTables) {
  auto cat = TestCatalog::Create(TempDir("reader"), {"production-h1"});
  auto s = cat->AddSession("2025-03-10T13:00:00Z", std::nullopt, "active");  // change 2
  cat->AddSessionContract(s, 711280073, "MNQ");                              // 3
  cat->AddHourlyFiles(711280073, "2025-03-10T13:00:00Z", 2, {"bid_ask"});    // 4, 5 files; 6 stats
  auto reader = std::move(CatalogReader::Open(cat->catalog_path())).value();
  auto b1 = reader->ReadBatch(0, 3);
  ASSERT_TRUE(b1.ok()) << b1.status().ToString();
  EXPECT_EQ(b1->to_change_no, 3);
  EXPECT_FALSE(b1->reaches_end);
  ASSERT_NE(Find(*b1, "collection_sessions"), nullptr);
  ASSERT_NE(Find(*b1, "session_contracts"), nullptr);
  EXPECT_EQ(Find(*b1, "tick_files"), nullptr);
  EXPECT_EQ(b1->RowCount(), 2u);  // + the instance row, always sent

  auto b2 = reader->ReadBatch(3, 100);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2->to_change_no, 6);
  EXPECT_TRUE(b2->reaches_end);
  ASSERT_NE(Find(*b2, "tick_files"), nullptr);
  EXPECT_EQ(Find(*b2, "tick_files")->rows.size(), 2u);
  EXPECT_EQ(Find(*b2, "daily_tick_stats")->rows.size(), 1u);

  auto none = reader->ReadBatch(6, 100);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->to_change_no, 6);
  EXPECT_EQ(none->RowCount(), 0u);
  EXPECT_EQ(*reader->CountPending(3), 3);
  EXPECT_EQ(*reader->CountPending(6), 0);
}

TEST(CatalogReader, ValuesArriveInPostgresForm) {
  auto cat = TestCatalog::Create(TempDir("reader"), {"production-h1"});
  auto s = cat->AddSession("2025-03-10T13:00:00Z", std::string("2025-03-10T15:00:00+00:00"), "completed");
  cat->AddSessionContract(s, 4294967295, "BIG", "[\"bid_ask\",\"mid_point\"]");
  auto reader = std::move(CatalogReader::Open(cat->catalog_path())).value();
  auto b = reader->ReadBatch(0, 100);
  ASSERT_TRUE(b.ok());
  const Row& session = Find(*b, "collection_sessions")->rows[0];
  const TableSpec& st = *Find(*b, "collection_sessions")->table;
  EXPECT_EQ(*session[st.ColumnIndex("session_end")], "2025-03-10T15:00:00.000000Z");
  const Row& sc = Find(*b, "session_contracts")->rows[0];
  const TableSpec& sct = *Find(*b, "session_contracts")->table;
  EXPECT_EQ(*sc[sct.ColumnIndex("contract_id")], "4294967295");
  EXPECT_EQ(*sc[sct.ColumnIndex("tick_types")], "{\"bid_ask\",\"mid_point\"}");
}

TEST(CatalogReader, ASessionChangedLaterIsSentWithTheRowsThatNeedIt) {
  auto cat = TestCatalog::Create(TempDir("reader"), {"production-h1"});
  auto s = cat->AddSession("2025-03-10T13:00:00Z", std::nullopt, "active");    // 2
  cat->AddSessionContract(s, 711280073, "MNQ");                                // 3
  cat->Exec("UPDATE collection_sessions SET status = 'completed', session_end = '2025-03-10T15:00:00Z'");  // s -> 4
  auto reader = std::move(CatalogReader::Open(cat->catalog_path())).value();
  auto b = reader->ReadBatch(0, 2);  // changes 1 (instance) and 3 (contract)
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->to_change_no, 3);
  ASSERT_NE(Find(*b, "collection_sessions"), nullptr);
  EXPECT_EQ(Find(*b, "collection_sessions")->rows.size(), 1u);
  EXPECT_EQ(Find(*b, "session_contracts")->rows.size(), 1u);
}

TEST(CatalogReader, DeletionsBecomeTombstonesWithCanonicalKeys) {
  auto cat = TestCatalog::Create(TempDir("reader"), {"production-h1"});
  cat->AddHourlyFiles(265598, "2025-01-10T14:00:00Z", 1, {"bid_ask"});
  const std::int64_t before = cat->MaxChangeNo();
  cat->Exec("DELETE FROM tick_files");
  auto reader = std::move(CatalogReader::Open(cat->catalog_path())).value();
  auto b = reader->ReadBatch(before, 100);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->tombstones.size(), 1u);
  EXPECT_EQ(b->tombstones[0].table->name, "tick_files");
  EXPECT_EQ(b->tombstones[0].key, (Row{"265598", "bid_ask", "2025-01-10T14:00:00.000000Z", "1"}));
}

}  // namespace
}  // namespace ibr::sync::testing
