#include "value_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace ibr::sync {
namespace {

ColumnSpec Col(ColumnType t, bool nullable = false) { return {"c", t, nullable}; }

TEST(ValueText, RealsReadBackExactly) {
  EXPECT_EQ(FormatReal(229.95), "229.95");
  EXPECT_EQ(FormatReal(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatReal(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatReal(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(ValueText, TimesBecomeCanonicalUtc) {
  auto v = ToPgText(Col(ColumnType::kTime), Cell(std::string("2025-03-10T14:00:00Z")));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(**v, "2025-03-10T14:00:00.000000Z");
  auto bad = ToPgText(Col(ColumnType::kTime), Cell(std::string("yesterday")));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'yesterday'"), std::string::npos);
}

TEST(ValueText, NullStaysNullButListsBecomeEmpty) {
  EXPECT_FALSE(ToPgText(Col(ColumnType::kTime, true), Cell()).value().has_value());
  EXPECT_EQ(*ToPgText(Col(ColumnType::kTextArray), Cell()).value(), "{}");
}

TEST(ValueText, JsonListsBecomeArrays) {
  EXPECT_EQ(*ToPgText(Col(ColumnType::kTextArray), Cell(std::string("[\"bid_ask\",\"last\"]"))).value(),
            "{\"bid_ask\",\"last\"}");
  EXPECT_EQ(*ToPgText(Col(ColumnType::kBigintArray), Cell(std::string("[711280073, 4294967295]"))).value(),
            "{\"711280073\",\"4294967295\"}");
  EXPECT_EQ(*ToPgText(Col(ColumnType::kTextArray), Cell(std::string("not json"))).value(), "{}");
}

TEST(ValueText, InvalidJsonIsKeptAsAJsonString) {
  EXPECT_EQ(*ToPgText(Col(ColumnType::kJson), Cell(std::string("{\"a\":1}"))).value(), "{\"a\":1}");
  EXPECT_EQ(*ToPgText(Col(ColumnType::kJson), Cell(std::string("{oops"))).value(), "\"{oops\"");
}

TEST(ValueText, BooleansAndDates) {
  EXPECT_EQ(*ToPgText(Col(ColumnType::kBool), Cell(std::int64_t{1})).value(), "t");
  EXPECT_EQ(*ToPgText(Col(ColumnType::kBool), Cell(std::int64_t{0})).value(), "f");
  EXPECT_EQ(*ToPgText(Col(ColumnType::kDate), Cell(std::string("2025-03-10"))).value(), "2025-03-10");
  EXPECT_FALSE(ToPgText(Col(ColumnType::kDate), Cell(std::string("10/03/2025"))).ok());
}

TEST(ValueText, TextIsValidUtf8WithoutNul) {
  EXPECT_EQ(SanitizeText(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(SanitizeText("\xff" "x"), "\xEF\xBF\xBD" "x");
  EXPECT_EQ(SanitizeText("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(SanitizeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST(ValueText, ArrayLiteralsQuoteEverything) {
  EXPECT_EQ(PgArrayLiteral({Value("a\"b"), Value("c\\d"), Value()}), "{\"a\\\"b\",\"c\\\\d\",NULL}");
  EXPECT_EQ(PgArrayLiteral({}), "{}");
}

}  // namespace
}  // namespace ibr::sync
