// PassthroughService: the RecorderService of passthrough mode (IB_STREAM_ENABLE_STORAGE=false with
// an upstream set, or IB_STREAM_MODE=passthrough): writes nothing and takes no lock. A live
// subscriber of contract C is fed by one upstream SSE connection per contract (an SseSource on
// {upstream}/v2/stream/C), opened by the first subscriber and closed with the last, shared by
// every client of C; a client asking for a tick type the open connection lacks reopens it with
// the union of types. Status: the root's catalog read-only (when the root has one) plus the relays.
// Thread-safe; relay threads call Submit/StreamConnected, HTTP workers Subscribe/Unsubscribe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "daemon/read_only_service.h"
#include "daemon/recorder_service.h"
#include "daemon/sse_source.h"
#include "daemon/tick_source.h"

namespace ibr::daemon {

class PassthroughService final : public RecorderService {
 public:
  // Relayed ticks get arrival sequences above this (history in the root's files is below it),
  // so /with-buffer replays the root's ticks, then relays live ones.
  static constexpr std::uint64_t kRelaySeqBase = 1ull << 62;

  // Never fails for a missing root (historical endpoints then answer 503); fails only when the
  // upstream URL is not http(s)://.
  static Result<std::unique_ptr<PassthroughService>> Open(const RecorderConfig& config, FileSystem& fs,
                                                          const Clock& clock, SseSourceOptions options = {});
  ~PassthroughService() override;

  void Submit(ingest::DecodeResult item, std::uint64_t line_number, std::string_view raw_line) override;
  void StreamConnected(std::uint32_t contract_id) override;
  void StreamDisconnected(std::uint32_t contract_id, const std::string& cause) override;
  void StreamAttemptFailed(std::uint32_t contract_id, const std::string& cause) override;
  Result<IngestAck> IngestBatch(std::string_view ndjson_body) override;
  Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t contract_id,
                                                      std::vector<TickType> tick_types) override;
  void Unsubscribe(const std::shared_ptr<LiveSubscription>& sub) override;
  RecorderStatus Status() const override;
  const RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return config_.storage_path; }
  void Stop(const std::string& reason) override;

  // Upstream connections open now (one per relayed contract).
  std::size_t open_relays() const;

 private:
  struct Relay {
    std::vector<TickType> types;                      // what the upstream connection asks for
    std::unique_ptr<TickSource> source;
    std::vector<std::shared_ptr<LiveSubscription>> subs;
    ContractStatus state;
    std::map<TickType, StreamStatus> streams;
  };
  PassthroughService(const RecorderConfig& c, FileSystem& fs, const Clock& clock, SseSourceOptions options)
      : config_(c), fs_(fs), clock_(clock), options_(std::move(options)), started_(clock.Now()) {}
  // Starts an upstream connection for `contract_id` asking for `types`.
  Result<std::unique_ptr<TickSource>> StartRelay(std::uint32_t contract_id, const std::vector<TickType>& types);

  const RecorderConfig config_;
  FileSystem& fs_;
  const Clock& clock_;
  const SseSourceOptions options_;
  const TimeUs started_;
  std::unique_ptr<ReadOnlyService> stored_;  // the root's catalog, when it had one at start
  std::atomic<std::uint64_t> next_seq_{kRelaySeqBase + 1};
  std::atomic<std::uint64_t> relayed_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::mutex control_mu_;  // serializes opening/closing relays (held while a source stops; never under mu_)
  mutable std::mutex mu_;  // relays_, rejects_, stopped_
  std::map<std::uint32_t, Relay> relays_;
  std::map<std::string, std::uint64_t> rejects_;
  bool stopped_ = false;
};

}  // namespace ibr::daemon
