// Text forms of the catalog rows' enums and lists.
#include "catalog/catalog_rows.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "common/json_text.h"

namespace ibr::catalog {

const char* SessionStatusName(SessionStatus s) {
  switch (s) {
    case SessionStatus::kActive: return "active";
    case SessionStatus::kCompleted: return "completed";
    case SessionStatus::kTerminated: return "terminated";
    case SessionStatus::kFailed: return "failed";
  }
  return "unknown";
}

const char* SessionKindName(SessionKind k) {
  switch (k) {
    case SessionKind::kRun: return "run";
    case SessionKind::kIngest: return "ingest";
    case SessionKind::kImport: return "import";
    case SessionKind::kReconstructed: return "reconstructed";
  }
  return "unknown";
}

const char* FileStatusName(FileStatus s) {
  switch (s) {
    case FileStatus::kOpen: return "open";
    case FileStatus::kSealed: return "sealed";
  }
  return "unknown";
}

const char* PartReasonName(PartReason r) {
  switch (r) {
    case PartReason::kFirst: return "first";
    case PartReason::kSizeSplit: return "size_split";
    case PartReason::kLate: return "late";
  }
  return "unknown";
}

std::optional<SessionStatus> ParseSessionStatus(std::string_view s) {
  for (auto v : {SessionStatus::kActive, SessionStatus::kCompleted, SessionStatus::kTerminated, SessionStatus::kFailed}) {
    if (s == SessionStatusName(v)) return v;
  }
  return std::nullopt;
}

std::optional<SessionKind> ParseSessionKind(std::string_view s) {
  for (auto v : {SessionKind::kRun, SessionKind::kIngest, SessionKind::kImport, SessionKind::kReconstructed}) {
    if (s == SessionKindName(v)) return v;
  }
  return std::nullopt;
}

std::optional<FileStatus> ParseFileStatus(std::string_view s) {
  for (auto v : {FileStatus::kOpen, FileStatus::kSealed}) {
    if (s == FileStatusName(v)) return v;
  }
  return std::nullopt;
}

std::optional<PartReason> ParsePartReason(std::string_view s) {
  for (auto v : {PartReason::kFirst, PartReason::kSizeSplit, PartReason::kLate}) {
    if (s == PartReasonName(v)) return v;
  }
  return std::nullopt;
}

std::string TickTypesToJson(const std::vector<TickType>& types) {
  nlohmann::json a = nlohmann::json::array();
  for (TickType t : types) a.push_back(std::string(TickTypeName(t)));
  return SafeDump(a);
}

std::optional<std::vector<TickType>> TickTypesFromJson(std::string_view json) {
  nlohmann::json a = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!a.is_array()) return std::nullopt;
  std::vector<TickType> out;
  for (const auto& e : a) {
    if (!e.is_string()) return std::nullopt;
    auto t = ParseTickTypeName(e.get_ref<const std::string&>());
    if (!t) return std::nullopt;
    out.push_back(*t);
  }
  return out;
}

std::string ContractIdsToJson(const std::vector<std::uint32_t>& ids) {
  nlohmann::json a = nlohmann::json::array();
  for (std::uint32_t id : ids) a.push_back(id);
  return SafeDump(a);
}

std::optional<std::vector<std::uint32_t>> ContractIdsFromJson(std::string_view json) {
  nlohmann::json a = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!a.is_array()) return std::nullopt;
  std::vector<std::uint32_t> out;
  for (const auto& e : a) {
    if (!e.is_number_unsigned()) return std::nullopt;
    auto v = e.get<std::uint64_t>();
    if (v > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
    out.push_back(static_cast<std::uint32_t>(v));
  }
  return out;
}

}  // namespace ibr::catalog
