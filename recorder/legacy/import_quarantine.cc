// ImportQuarantine: buffered appends to one NDJSON file per import day.
#include "legacy/import_quarantine.h"

#include <nlohmann/json.hpp>

#include "common/time_text.h"

namespace ibr::legacy {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

ImportQuarantine::ImportQuarantine(std::string root, FileSystem& fs, const Clock& clock, std::string source)
    : root_(std::move(root)), fs_(fs), clock_(clock), source_(std::move(source)) {}

void ImportQuarantine::Add(std::string_view file, std::uint64_t record, std::string_view reason,
                           std::string_view detail, std::string_view input, bool binary) {
  ++count_;
  if (path_.empty()) path_ = root_ + "/rejects/import-" + FormatIsoDate(clock_.Now()) + ".ndjson";
  nlohmann::json j = {{"source", source_}, {"file", file},     {"record", record},
                      {"reason", reason},  {"detail", detail}};
  if (binary) {
    j["input_hex"] = Hex(input.substr(0, 512));
  } else {
    // Cut at 1 KiB on a UTF-8 boundary; invalid UTF-8 is replaced, not thrown on.
    std::string_view cut = input.substr(0, 1024);
    while (cut.size() < input.size() && !cut.empty() && (static_cast<unsigned char>(input[cut.size()]) & 0xC0) == 0x80) {
      cut.remove_suffix(1);
    }
    j["input"] = std::string(cut);
  }
  buffer_ += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) (void)Flush();
}

Status ImportQuarantine::Flush() {
  if (!status_.ok() || buffer_.empty()) return status_;
  if (!file_) {
    if (Status s = fs_.CreateDirs(root_ + "/rejects"); !s.ok()) return status_ = s;
    auto f = fs_.OpenAppend(path_);
    if (!f.ok()) return status_ = f.status();
    file_ = std::move(*f);
  }
  status_ = file_->Append(buffer_);
  buffer_.clear();
  return status_;
}

}  // namespace ibr::legacy
