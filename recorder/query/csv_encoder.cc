// CSV encoder: header + one row per tick, RFC 4180 quoting where needed.
#include <cstring>
#include <optional>
#include <string_view>

#include "query/tick_encoder.h"
#include "query/value_text.h"

namespace ibr::query {
namespace {

constexpr std::string_view kHeader =
    "timestamp,contract_id,tick_type,price,size,bid_price,bid_size,ask_price,ask_size,mid_price,exchange,"
    "conditions,sequence,unix_time\n";

inline char* Cell(char* p, const std::optional<double>& v) {
  *p++ = ',';
  return v ? WriteDouble(p, *v) : p;
}

bool NeedsQuoting(std::string_view s) { return s.find_first_of(",\"\r\n") != std::string_view::npos; }

constexpr std::size_t MaxCsvText(std::size_t n) { return 2 * n + 2; }

// Writes `s` as one cell, quoted (with doubled quotes) when it holds , " CR or LF.
char* WriteCsvText(char* p, std::string_view s) {
  if (!NeedsQuoting(s)) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }
  *p++ = '"';
  for (char c : s) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

// Fixed parts: commas and the tick type name, 7 doubles, 3 integers, the timestamp.
constexpr std::size_t kCsvFixedBound = 64 + 7 * kMaxDoubleText + 3 * kMaxIntText + kTimestampText;

class CsvEncoder final : public TickEncoder {
 public:
  explicit CsvEncoder(OutputBuffer& out) : TickEncoder(out) {}

  Status Begin(const QueryDescription&) override {
    out_.bytes().append(kHeader);
    return out_.MaybeFlush();
  }

  Status OnTick(const Tick& t, std::string_view) override {
    std::string_view conditions = JoinConditions(t.conditions);
    std::size_t bound = kCsvFixedBound + MaxCsvText(conditions.size());
    if (t.exchange) bound += MaxCsvText(t.exchange->size());
    std::string& b = out_.bytes();
    const std::size_t old = b.size();
    b.resize(old + bound);
    char* p = b.data() + old;
    p = timestamp_.Write(p, t.timestamp_us);
    *p++ = ',';
    p = WriteUint(p, t.contract_id);
    *p++ = ',';
    std::string_view tt = TickTypeName(t.tick_type);
    std::memcpy(p, tt.data(), tt.size());
    p += tt.size();
    p = Cell(p, t.price);
    p = Cell(p, t.size);
    p = Cell(p, t.bid_price);
    p = Cell(p, t.bid_size);
    p = Cell(p, t.ask_price);
    p = Cell(p, t.ask_size);
    p = Cell(p, t.mid_price);
    *p++ = ',';
    if (t.exchange) p = WriteCsvText(p, *t.exchange);
    *p++ = ',';
    p = WriteCsvText(p, conditions);
    *p++ = ',';
    if (t.sequence) p = WriteUint(p, *t.sequence);
    *p++ = ',';
    if (t.unix_time) p = WriteInt(p, *t.unix_time);
    *p++ = '\n';
    b.resize(static_cast<std::size_t>(p - b.data()));
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override { return out_.Flush(); }

 private:
  // Conditions joined with ';' (one cell).
  std::string_view JoinConditions(const std::vector<std::string>& conditions) {
    if (conditions.empty()) return {};
    if (conditions.size() == 1) return conditions.front();
    joined_.clear();  // reused: no allocation once warm
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (i != 0) joined_.push_back(';');
      joined_.append(conditions[i]);
    }
    return joined_;
  }

  TimestampText timestamp_;
  std::string joined_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeCsvEncoder(OutputBuffer& out, const EncoderOptions&) {
  return std::make_unique<CsvEncoder>(out);
}

}  // namespace ibr::query
