// BatchIngest: `ib-recorder ingest` — reads v2 NDJSON to its end into a Store.
//
// Ticks go to the partition writer, rejects to the quarantine (counted per
// reason), lifecycle messages to the catalog as stream events (an error or
// complete followed by more of that contract's stream is an outage),
// heartbeats are counted and dropped. Hours the input has passed are sealed
// on worker threads (storage::SealPool) while later lines are parsed. The input is recorded as one
// `completed` collection session spanning its first to last tick, and by
// content hash, so the same input is refused a second time unless forced.
// Runs on the calling thread, which must own the Store.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace ibr::storage {

struct BatchIngestOptions {
  std::string source_name = "-";  // file name, or "-" for stdin
  bool force = false;             // ingest even if this content was ingested before
  bool seal = true;               // seal hours older than the grace period at the end
  std::string session_kind = "ingest";  // "ingest" | "import"
  // Every this many ticks: flush when the interval passed, and hand hours the
  // input is more than an hour past to the sealing workers (IB_STREAM_WORKERS).
  std::int64_t check_every_ticks = 65'536;
};

struct IngestSummary {
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> reasons;
  std::int64_t lifecycle = 0;
  std::int64_t heartbeats = 0;
  std::int64_t files = 0;   // tick files written to
  std::int64_t lines = 0;
  std::int64_t dropped = 0; // valid ticks that could not be stored (disk full)
  std::int64_t rejects_not_kept = 0;  // rejects counted but not quarantined (its daily bound)
  std::int64_t session_id = 0;
  std::string content_hash;
  SealSummary seal;
  std::int64_t sealed_while_reading = 0;  // files handed to the sealing workers before the input ended
  std::string store_error;  // why storing stopped, when it did
};

// Reads `fd` to its end. Returns AlreadyExists when the content was ingested
// before (and !force); other errors when the input could not be read or the
// store could not be written at all. Partial storage failures (disk full
// midway) are reported in summary.dropped/store_error with an error status.
Result<IngestSummary> IngestFromFd(Store& store, int fd, const BatchIngestOptions& options);

}  // namespace ibr::storage
