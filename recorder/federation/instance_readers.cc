// InstanceReaders: local first (when allowed and present), HTTP otherwise.
#include "federation/instance_readers.h"

#include "federation/local_segment_reader.h"

namespace ibr::federation {

Result<ReadVia> ParseReadVia(std::string_view s) {
  if (s == "auto") return ReadVia::kAuto;
  if (s == "files") return ReadVia::kFiles;
  if (s == "http") return ReadVia::kHttp;
  return Status::InvalidArgument("invalid value '" + std::string(s) + "' (expected auto, files or http)");
}

Result<SegmentReader*> InstanceReaders::For(const InstanceRef& instance) {
  auto it = readers_.find(instance.name);
  if (it != readers_.end()) return it->second.get();
  std::unique_ptr<SegmentReader> reader;
  if (via_ != ReadVia::kHttp) {
    auto local = LocalSegmentReader::Open(instance, fs_, clock_);
    if (local.ok()) {
      reader = std::move(local).value();
    } else if (via_ == ReadVia::kFiles || local.status().code() != StatusCode::kNotFound) {
      return local.status();
    }
  }
  if (!reader) reader = std::make_unique<HttpSegmentReader>(instance, http_);
  return readers_.emplace(instance.name, std::move(reader)).first->second.get();
}

}  // namespace ibr::federation
