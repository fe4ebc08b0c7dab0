// CSV encoder: header + one row per tick, RFC 4180 quoting where needed.
#include <optional>
#include <string_view>

#include "query/tick_encoder.h"
#include "query/value_text.h"

namespace ibr::query {
namespace {

constexpr std::string_view kHeader =
    "timestamp,contract_id,tick_type,price,size,bid_price,bid_size,ask_price,ask_size,mid_price,exchange,"
    "conditions,sequence,unix_time\n";

inline void Cell(std::string& b, const std::optional<double>& v) {
  b.push_back(',');
  if (v) AppendDouble(b, *v);
}

bool NeedsQuoting(std::string_view s) { return s.find_first_of(",\"\r\n") != std::string_view::npos; }

// Appends `s` as one cell, quoted (with doubled quotes) when it holds , " CR or LF.
void AppendCsvText(std::string& b, std::string_view s) {
  if (!NeedsQuoting(s)) {
    b.append(s);
    return;
  }
  b.push_back('"');
  for (char c : s) {
    if (c == '"') b.push_back('"');
    b.push_back(c);
  }
  b.push_back('"');
}

class CsvEncoder final : public TickEncoder {
 public:
  explicit CsvEncoder(OutputBuffer& out) : TickEncoder(out) {}

  Status Begin(const QueryDescription&) override {
    out_.bytes().append(kHeader);
    return out_.MaybeFlush();
  }

  Status OnTick(const Tick& t, std::string_view) override {
    std::string& b = out_.bytes();
    timestamp_.Append(b, t.timestamp_us);
    b.push_back(',');
    AppendUint(b, t.contract_id);
    b.push_back(',');
    b.append(TickTypeName(t.tick_type));
    Cell(b, t.price);
    Cell(b, t.size);
    Cell(b, t.bid_price);
    Cell(b, t.bid_size);
    Cell(b, t.ask_price);
    Cell(b, t.ask_size);
    Cell(b, t.mid_price);
    b.push_back(',');
    if (t.exchange) AppendCsvText(b, *t.exchange);
    b.push_back(',');
    AppendConditions(b, t.conditions);
    b.push_back(',');
    if (t.sequence) AppendUint(b, *t.sequence);
    b.push_back(',');
    if (t.unix_time) AppendInt(b, *t.unix_time);
    b.push_back('\n');
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override { return out_.Flush(); }

 private:
  // Conditions joined with ';', quoted as one cell when needed.
  void AppendConditions(std::string& b, const std::vector<std::string>& conditions) {
    if (conditions.empty()) return;
    if (conditions.size() == 1) {
      AppendCsvText(b, conditions.front());
      return;
    }
    joined_.clear();  // reused: no allocation once warm
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (i != 0) joined_.push_back(';');
      joined_.append(conditions[i]);
    }
    AppendCsvText(b, joined_);
  }

  TimestampText timestamp_;
  std::string joined_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeCsvEncoder(OutputBuffer& out, const EncoderOptions&) {
  return std::make_unique<CsvEncoder>(out);
}

}  // namespace ibr::query
