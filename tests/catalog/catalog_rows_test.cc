// Text forms of catalog enums and lists.
#include "catalog/catalog_rows.h"

#include <gtest/gtest.h>

namespace ibr::catalog {
namespace {

TEST(CatalogRowsTest, EnumNamesRoundTripAndMatchTheSchema) {
  for (auto s : {SessionStatus::kActive, SessionStatus::kCompleted, SessionStatus::kTerminated, SessionStatus::kFailed}) {
    EXPECT_EQ(ParseSessionStatus(SessionStatusName(s)), s);
  }
  for (auto k : {SessionKind::kRun, SessionKind::kIngest, SessionKind::kImport, SessionKind::kReconstructed}) {
    EXPECT_EQ(ParseSessionKind(SessionKindName(k)), k);
  }
  EXPECT_EQ(ParseFileStatus("sealed"), FileStatus::kSealed);
  EXPECT_EQ(ParsePartReason("size_split"), PartReason::kSizeSplit);
  EXPECT_STREQ(PartReasonName(PartReason::kLate), "late");
  EXPECT_STREQ(SessionKindName(SessionKind::kReconstructed), "reconstructed");
  EXPECT_FALSE(ParseSessionStatus("Active").has_value());
  EXPECT_FALSE(ParseFileStatus("").has_value());
}

TEST(CatalogRowsTest, TickTypeListsAsJsonArrays) {
  std::vector<TickType> all{TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};
  EXPECT_EQ(TickTypesToJson(all), R"(["bid_ask","last","all_last","mid_point"])");
  EXPECT_EQ(TickTypesToJson({}), "[]");
  EXPECT_EQ(TickTypesFromJson(R"(["bid_ask","last","all_last","mid_point"])"), all);
  EXPECT_EQ(TickTypesFromJson("[]"), std::vector<TickType>{});
  EXPECT_EQ(TickTypesFromJson(R"([ "last" ])"), std::vector<TickType>{TickType::kLast});
  EXPECT_FALSE(TickTypesFromJson(R"(["BidAsk"])").has_value());
  EXPECT_FALSE(TickTypesFromJson(R"(["trades"])").has_value());
  EXPECT_FALSE(TickTypesFromJson(R"([1])").has_value());
  EXPECT_FALSE(TickTypesFromJson(R"("last")").has_value());
  EXPECT_FALSE(TickTypesFromJson("[").has_value());
  EXPECT_FALSE(TickTypesFromJson("").has_value());
}

TEST(CatalogRowsTest, ContractIdListsAsJsonArrays) {
  EXPECT_EQ(ContractIdsToJson({1, 4294967295u}), "[1,4294967295]");
  EXPECT_EQ(ContractIdsFromJson("[1,4294967295]"), (std::vector<std::uint32_t>{1, 4294967295u}));
  EXPECT_FALSE(ContractIdsFromJson("[4294967296]").has_value());
  EXPECT_FALSE(ContractIdsFromJson("[-1]").has_value());
  EXPECT_FALSE(ContractIdsFromJson("[1.5]").has_value());
  EXPECT_FALSE(ContractIdsFromJson("{}").has_value());
}

}  // namespace
}  // namespace ibr::catalog
