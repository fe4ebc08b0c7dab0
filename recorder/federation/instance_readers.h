// InstanceReaders: picks and keeps one SegmentReader per instance — its
// storage root when that root is on this host (and really is that
// instance's), else its HTTP API — as ReadVia allows. Owns the readers; one
// thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/file_system.h"
#include "federation/coverage_plan.h"
#include "federation/http_segment_reader.h"
#include "federation/segment_reader.h"

namespace ibr::federation {

// auto: files when on this host, else HTTP; files: only local roots; http: only HTTP.
enum class ReadVia { kAuto, kFiles, kHttp };
// "auto", "files", "http"; error quotes the input and names the valid ones.
Result<ReadVia> ParseReadVia(std::string_view s);

class ReaderProvider {
 public:
  virtual ~ReaderProvider() = default;
  // The reader for `instance`, or why it cannot be read (said for the user).
  virtual Result<SegmentReader*> For(const InstanceRef& instance) = 0;
};

class InstanceReaders final : public ReaderProvider {
 public:
  // `fs` and `clock` must outlive this.
  InstanceReaders(ReadVia via, HttpReadOptions http, FileSystem& fs, const Clock& clock)
      : via_(via), http_(std::move(http)), fs_(fs), clock_(clock) {}
  Result<SegmentReader*> For(const InstanceRef& instance) override;

 private:
  const ReadVia via_;
  const HttpReadOptions http_;
  FileSystem& fs_;
  const Clock& clock_;
  std::map<std::string, std::unique_ptr<SegmentReader>> readers_;  // by instance name
};

}  // namespace ibr::federation
