// Reject reason codes: the exact strings DESIGN.md lists, and back.
#include "ingest/reject_reason.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ibr::ingest {
namespace {

TEST(RejectReasonTest, CodesAreTheDocumentedOnes) {
  EXPECT_EQ(RejectReasonCode(RejectReason::kLineTooLong), "line_too_long");
  EXPECT_EQ(RejectReasonCode(RejectReason::kBadJson), "bad_json");
  EXPECT_EQ(RejectReasonCode(RejectReason::kNotObject), "not_object");
  EXPECT_EQ(RejectReasonCode(RejectReason::kUnknownType), "unknown_type");
  EXPECT_EQ(RejectReasonCode(RejectReason::kBadContractId), "bad_contract_id");
  EXPECT_EQ(RejectReasonCode(RejectReason::kUnknownTickType), "unknown_tick_type");
  EXPECT_EQ(RejectReasonCode(RejectReason::kBadTimestamp), "bad_timestamp");
  EXPECT_EQ(RejectReasonCode(RejectReason::kTimestampOutOfRange), "timestamp_out_of_range");
  EXPECT_EQ(RejectReasonCode(RejectReason::kMissingField), "missing_field");
  EXPECT_EQ(RejectReasonCode(RejectReason::kNotNumeric), "not_numeric");
  EXPECT_EQ(RejectReasonCode(RejectReason::kNotFinite), "not_finite");
  EXPECT_EQ(RejectReasonCode(RejectReason::kBadValue), "bad_value");
}

TEST(RejectReasonTest, RoundTripAndUnknown) {
  std::set<std::string> seen;
  for (int i = 0; i < kRejectReasonCount; ++i) {
    auto r = static_cast<RejectReason>(i);
    std::string_view code = RejectReasonCode(r);
    EXPECT_TRUE(seen.insert(std::string(code)).second) << code;
    EXPECT_EQ(ParseRejectReasonCode(code), r);
  }
  EXPECT_FALSE(ParseRejectReasonCode("BAD_JSON"));
  EXPECT_FALSE(ParseRejectReasonCode(""));
}

}  // namespace
}  // namespace ibr::ingest
