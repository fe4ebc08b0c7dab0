// Reject reason codes as text.
#include "ingest/reject_reason.h"

#include <array>

namespace ibr::ingest {
namespace {

constexpr std::array<std::string_view, kRejectReasonCount> kCodes = {
    "line_too_long",  "bad_json",     "not_object",   "unknown_type",
    "bad_contract_id", "unknown_tick_type", "bad_timestamp", "timestamp_out_of_range",
    "missing_field",  "not_numeric",  "not_finite",  "bad_value",
};
static_assert(static_cast<int>(RejectReason::kBadValue) + 1 == kRejectReasonCount,
              "kCodes must list every RejectReason in order");

}  // namespace

std::string_view RejectReasonCode(RejectReason r) {
  auto i = static_cast<std::size_t>(r);
  return i < kCodes.size() ? kCodes[i] : std::string_view("unknown");
}

std::optional<RejectReason> ParseRejectReasonCode(std::string_view code) {
  for (std::size_t i = 0; i < kCodes.size(); ++i) {
    if (kCodes[i] == code) return static_cast<RejectReason>(i);
  }
  return std::nullopt;
}

}  // namespace ibr::ingest
