// Reject reasons: why an input line did not become a tick (codes in DESIGN.md).
#pragma once

#include <optional>
#include <string_view>

namespace ibr::ingest {

enum class RejectReason {
  kLineTooLong,
  kBadJson,
  kNotObject,
  kUnknownType,
  kBadContractId,
  kUnknownTickType,
  kBadTimestamp,
  kTimestampOutOfRange,
  kMissingField,
  kNotNumeric,
  kNotFinite,
  kBadValue,  // an optional field with an unusable value (a flag not true/false, text with a control character)
};
constexpr int kRejectReasonCount = 12;

// "line_too_long", "bad_json", ... as written in rejects files and summaries.
std::string_view RejectReasonCode(RejectReason r);
std::optional<RejectReason> ParseRejectReasonCode(std::string_view code);

}  // namespace ibr::ingest
