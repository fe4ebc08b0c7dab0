// HttpSegmentReader: identity check, streamed GET, length-prefixed frames -> ticks.
#include "federation/http_segment_reader.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/time_text.h"
#include "format/tick_codec.h"

namespace ibr::federation {
namespace {

std::string TickTypesParam(const std::vector<TickType>& types) {
  std::string out;
  for (TickType t : types) out += (out.empty() ? "" : ",") + std::string(TickTypeName(t));
  return out;
}

// The server's {"error": "..."} reason, else the start of the body.
std::string ErrorText(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  return body.substr(0, 200);
}

// 4-byte big-endian length + StreamMessage body, as the protobuf format streams them.
class FrameDecoder {
 public:
  explicit FrameDecoder(query::TickSink& sink) : sink_(sink) {}
  // Decodes the complete frames received so far; a non-ok status stops the read.
  Status Feed(const char* data, std::size_t n) {
    buf_.append(data, n);
    while (buf_.size() - pos_ >= 4) {
      const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
      const std::size_t len = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
      if (buf_.size() - pos_ - 4 < len) break;
      std::string_view body(buf_.data() + pos_ + 4, len);
      Status s = format::DecodeTickMessageInto(body, format::ChecksumPolicy::kIfPresent, tick_);
      if (!s.ok()) return Status::Corruption("undecodable tick in the answer: " + s.message());
      pos_ += 4 + len;
      s = sink_.OnTick(tick_, sink_.WantsRawBodies() ? format::StripChecksum(body) : std::string_view());
      if (!s.ok()) {
        sink_error_ = true;
        return s;
      }
    }
    if (pos_ > (1u << 20) && pos_ * 2 > buf_.size()) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    return Status::Ok();
  }
  bool partial() const { return buf_.size() > pos_; }
  bool sink_error() const { return sink_error_; }

 private:
  query::TickSink& sink_;
  std::string buf_;
  std::size_t pos_ = 0;
  Tick tick_;
  bool sink_error_ = false;
};

}  // namespace

HttpSegmentReader::HttpSegmentReader(InstanceRef instance, HttpReadOptions options)
    : instance_(std::move(instance)), options_(std::move(options)) {}

HttpSegmentReader::~HttpSegmentReader() = default;

std::string HttpSegmentReader::Describe() const {
  return "http://" + instance_.host + ":" + std::to_string(instance_.port);
}

Status HttpSegmentReader::CheckIdentity() {
  if (identity_) return *identity_;
  httplib::Client c(instance_.host, instance_.port);
  c.set_connection_timeout(options_.connect_timeout_s, 0);
  c.set_read_timeout(options_.read_timeout_s, 0);
  auto res = c.Get("/health");
  if (!res) {
    identity_ = Status::Unavailable(Describe() + " does not answer (" + httplib::to_string(res.error()) +
                                    "): start the recorder there (`ib-recorder run --read-only` serves a stopped "
                                    "instance's root), or query on that host");
    return *identity_;
  }
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_object() && j.contains("instance") && j["instance"].is_string()) {
    const std::string serving = j["instance"].get<std::string>();
    if (serving != instance_.name) {
      identity_ = Status::Unavailable(Describe() + " now serves instance '" + serving + "', not '" + instance_.name +
                                      "': serve its storage root " + instance_.storage_path + " (`ib-recorder run "
                                      "--read-only` on another port) or query on that host");
      return *identity_;
    }
  }
  identity_ = Status::Ok();
  return *identity_;
}

Status HttpSegmentReader::Read(const SegmentRequest& request, query::TickSink& sink,
                               std::vector<std::string>& notes) {
  if (instance_.host.empty() || instance_.port <= 0) {
    return Status::Unavailable("the central database has no HTTP address for it (host '" + instance_.host +
                               "', port " + std::to_string(instance_.port) + "): query on the host that holds " +
                               instance_.storage_path);
  }
  IBR_RETURN_IF_ERROR(CheckIdentity());

  httplib::Client c(instance_.host, instance_.port);
  c.set_connection_timeout(options_.connect_timeout_s, 0);
  c.set_read_timeout(options_.read_timeout_s, 0);
  httplib::Headers headers;
  if (!options_.api_key.empty()) headers.emplace("X-API-Key", options_.api_key);
  httplib::Params params{{"start_time", FormatIsoTimestamp(request.range.start)},
                         {"end_time", FormatIsoTimestamp(request.range.end)},
                         {"tick_types", TickTypesParam(request.tick_types)},
                         {"format", "protobuf"}};
  if (request.limit) params.emplace("limit", std::to_string(*request.limit));

  const std::string path = "/v2/historical/" + std::to_string(request.contract_id) + "/range";
  int http_status = 0;
  std::string error_body;
  FrameDecoder frames(sink);
  Status stopped;
  auto res = c.Get(
      path, params, headers,
      [&](const httplib::Response& r) {
        http_status = r.status;
        return true;
      },
      [&](const char* data, std::size_t n) {
        if (http_status != 200) {
          if (error_body.size() < 4096) error_body.append(data, n);
          return true;
        }
        stopped = frames.Feed(data, n);
        return stopped.ok();
      });
  if (frames.sink_error()) return stopped;
  if (!stopped.ok()) return stopped.WithContext(Describe() + path);
  const std::string where = Describe() + path;
  if (!res) {
    return Status::Unavailable(where + " failed (" + httplib::to_string(res.error()) +
                               "): the answer is incomplete; check that the recorder there is running");
  }
  if (http_status == 401) {
    return Status::FailedPrecondition(where + " refused the API key (HTTP 401: " + ErrorText(error_body) +
                                      "): give that recorder's key with --api-key");
  }
  if (http_status == 404 && ErrorText(error_body).find("no files stored for it") != std::string::npos) {
    // The instance covered the contract but stored no tick of it: an empty answer, not a hole.
    notes.push_back("instance '" + instance_.name + "' holds no files of contract " +
                    std::to_string(request.contract_id));
    return Status::Ok();
  }
  if (http_status != 200) {
    return Status::Unavailable(where + " answered HTTP " + std::to_string(http_status) + ": " +
                               ErrorText(error_body));
  }
  if (frames.partial()) return Status::Unavailable(where + ": the answer ended inside a tick (truncated)");
  return Status::Ok();
}

}  // namespace ibr::federation
