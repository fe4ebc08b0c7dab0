// RowReader reads columns by name: the order of a SELECT's columns does not
// matter, and a column the SELECT lacks is an error naming it, not a read of
// whatever sits at that position.
#include "catalog/row_codec.h"

#include <gtest/gtest.h>

#include "catalog_test_util.h"

namespace ibr::catalog {
namespace {

class RowReaderTest : public testing::CatalogTest {};

TEST_F(RowReaderTest, ColumnsAreFoundByNameInAnyOrder) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  for (const char* sql : {"SELECT 7 AS contract_id, 'bid_ask' AS tick_type, NULL AS end_time",
                          "SELECT NULL AS end_time, 'bid_ask' AS tick_type, 7 AS contract_id"}) {
    auto st = cat->db().Prepare(sql);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    ASSERT_TRUE(st->Step());
    RowReader r(*st, "test", "tick_files");
    EXPECT_EQ(r.ContractId("contract_id"), 7u) << sql;
    EXPECT_EQ(r.Tick("tick_type"), TickType::kBidAsk) << sql;
    EXPECT_EQ(r.OptTime("end_time"), std::nullopt) << sql;
    EXPECT_TRUE(r.status().ok()) << r.status().ToString();
  }
}

TEST_F(RowReaderTest, AColumnMissingFromTheSelectIsAnErrorNamingIt) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  auto st = cat->db().Prepare("SELECT 7 AS contract_id, 'x' AS symbol");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->Step());
  RowReader r(*st, "test", "contracts");
  EXPECT_EQ(r.Int("buffer_hours"), 0);  // not the value at any position
  ASSERT_FALSE(r.status().ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("'buffer_hours'"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(r.Text("symbol"), "x");  // the columns it has still read
}

}  // namespace
}  // namespace ibr::catalog
