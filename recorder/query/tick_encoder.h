// TickEncoder: turns the ticks of a query into one output format (ndjson,
// json, csv, protobuf) in an OutputBuffer, which streams it out in chunks.
//
// One encoder per query, one thread. The encoder borrows the OutputBuffer
// (which must outlive it). Call Begin, then OnTick per tick, then Finish.
// Formats are defined in DESIGN.md "Interfaces other tools parse"; each
// lives in its own <format>_encoder.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"
#include "query/output_buffer.h"
#include "query/tick_sink.h"

namespace ibr::query {

enum class OutputFormat { kNdjson, kJson, kCsv, kProtobuf };

// "ndjson", "json", "csv", "protobuf"; error quotes the input and names the valid ones.
Result<OutputFormat> ParseOutputFormat(std::string_view s);
std::string_view OutputFormatName(OutputFormat f);
// HTTP Content-Type of the format ("application/x-ndjson", ...).
std::string_view OutputContentType(OutputFormat f);

// What the JSON format's envelope says about the query.
struct QueryDescription {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  TimeUs start_time = 0;
  TimeUs end_time = 0;
};

struct EncoderOptions {
  // NDJSON/JSON: add "metadata":{"historical":true} to every tick (buffer replay).
  bool historical = false;
};

class TickEncoder : public TickSink {
 public:
  explicit TickEncoder(OutputBuffer& out) : out_(out) {}
  // Writes what precedes the first tick (CSV header, JSON envelope opening).
  virtual Status Begin(const QueryDescription& query) = 0;
  // Writes what follows the last tick, then flushes everything.
  virtual Status Finish() = 0;
  std::uint64_t count() const { return count_; }

 protected:
  OutputBuffer& out_;
  std::uint64_t count_ = 0;
};

std::unique_ptr<TickEncoder> MakeTickEncoder(OutputFormat f, OutputBuffer& out, const EncoderOptions& options);

// One line per tick: the TickJson object + '\n'. No header, no trailer.
std::unique_ptr<TickEncoder> MakeNdjsonEncoder(OutputBuffer& out, const EncoderOptions& options);
// {"contract_id":..,"tick_types":[..],"start_time":..,"end_time":..,"messages":[<TickJson>,..],"count":N}
// streamed: the array is never held in memory.
std::unique_ptr<TickEncoder> MakeJsonEncoder(OutputBuffer& out, const EncoderOptions& options);
// Header line, then one row per tick; absent fields are empty cells.
std::unique_ptr<TickEncoder> MakeCsvEncoder(OutputBuffer& out, const EncoderOptions& options);
// 4-byte big-endian length + StreamMessage body per tick, no header; stored
// bodies are passed through unchanged (without the CRC field).
std::unique_ptr<TickEncoder> MakeProtobufEncoder(OutputBuffer& out, const EncoderOptions& options);

}  // namespace ibr::query
