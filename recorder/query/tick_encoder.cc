// TickEncoder: format names and the factory.
#include "query/tick_encoder.h"

#include <string>

namespace ibr::query {

Result<OutputFormat> ParseOutputFormat(std::string_view s) {
  for (OutputFormat f : {OutputFormat::kNdjson, OutputFormat::kJson, OutputFormat::kCsv, OutputFormat::kProtobuf}) {
    if (s == OutputFormatName(f)) return f;
  }
  return Status::InvalidArgument("unknown format '" + std::string(s) + "' (valid: ndjson, json, csv, protobuf)");
}

std::string_view OutputFormatName(OutputFormat f) {
  switch (f) {
    case OutputFormat::kNdjson: return "ndjson";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kProtobuf: return "protobuf";
  }
  return "?";
}

std::string_view OutputContentType(OutputFormat f) {
  switch (f) {
    case OutputFormat::kNdjson: return "application/x-ndjson";
    case OutputFormat::kJson: return "application/json";
    case OutputFormat::kCsv: return "text/csv";
    case OutputFormat::kProtobuf: return "application/x-protobuf";
  }
  return "application/octet-stream";
}

std::unique_ptr<TickEncoder> MakeTickEncoder(OutputFormat f, OutputBuffer& out, const EncoderOptions& options) {
  switch (f) {
    case OutputFormat::kNdjson: return MakeNdjsonEncoder(out, options);
    case OutputFormat::kJson: return MakeJsonEncoder(out, options);
    case OutputFormat::kCsv: return MakeCsvEncoder(out, options);
    case OutputFormat::kProtobuf: return MakeProtobufEncoder(out, options);
  }
  return MakeNdjsonEncoder(out, options);
}

}  // namespace ibr::query
