// SkipReason: a second look (nlohmann) at the few rejected lines that need one.
#include "legacy/skip_reason.h"

#include <nlohmann/json.hpp>

#include "ingest/reject_reason.h"
#include "ingest/upstream_names.h"

namespace ibr::legacy {
namespace {

const nlohmann::json* Field(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

bool IsZeroId(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>() == 0;
  if (v.is_number_float()) return v.get<double>() == 0.0;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    return !s.empty() && s.find_first_not_of('0') == std::string::npos;
  }
  return false;
}

}  // namespace

std::string SkipReasonFor(const ingest::DecodeResult& rejected, std::string_view line) {
  const std::string code(ingest::RejectReasonCode(rejected.reason));
  if (rejected.reason != ingest::RejectReason::kBadContractId &&
      rejected.reason != ingest::RejectReason::kMissingField) {
    return code;
  }
  const nlohmann::json msg = nlohmann::json::parse(line, nullptr, false);
  const nlohmann::json* data = Field(msg, "data");
  const nlohmann::json* meta = Field(msg, "metadata");
  if (rejected.reason == ingest::RejectReason::kBadContractId) {
    const nlohmann::json* cid = data ? Field(*data, "contract_id") : nullptr;
    if (!cid && meta) cid = Field(*meta, "contract_id");
    return cid && IsZeroId(*cid) ? "contract_id_zero" : code;
  }
  if (!data) return code;
  const nlohmann::json* tt = Field(*data, "tick_type");
  if (!tt && meta) tt = Field(*meta, "tick_type");
  if (!tt || !tt->is_string()) return code;
  const auto type = ingest::ParseUpstreamTickType(tt->get_ref<const std::string&>());
  if (type == TickType::kMidPoint && !Field(*data, "mid_price") && !Field(*data, "midpoint")) {
    return "mid_point_without_value";
  }
  return code;
}

}  // namespace ibr::legacy
