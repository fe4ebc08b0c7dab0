// LocalSegmentReader: an instance's ticks read from its storage root on this
// host, through the local query engine with the root's catalog opened
// read-only — no lock, no change, safe beside the instance's running writer.
// Owns that catalog (SQLite: one thread); use from the thread that opened it.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "federation/coverage_plan.h"
#include "federation/segment_reader.h"

namespace ibr::federation {

class LocalSegmentReader final : public SegmentReader {
 public:
  // NotFound when `instance.storage_path` holds no catalog on this host, or
  // holds another instance's root (the default path is the same on every
  // host); other errors when the catalog cannot be read.
  static Result<std::unique_ptr<LocalSegmentReader>> Open(const InstanceRef& instance, FileSystem& fs,
                                                          const Clock& clock);

  Status Read(const SegmentRequest& request, query::TickSink& sink, std::vector<std::string>& notes) override;
  std::string Describe() const override { return "files at " + root_; }

 private:
  LocalSegmentReader(FileSystem& fs, std::string root, std::unique_ptr<catalog::Catalog> c)
      : fs_(fs), root_(std::move(root)), catalog_(std::move(c)) {}
  FileSystem& fs_;
  std::string root_;
  std::unique_ptr<catalog::Catalog> catalog_;
};

}  // namespace ibr::federation
