// CSV encoder: header + one row per tick, one column per field, RFC 4180
// quoting (a cell holding , " CR or LF is quoted, quotes doubled); LF line ends.
// `conditions` is one cell holding a JSON array of strings (["T","I"]; empty
// when none), so any condition text round-trips. Text cells cannot carry the
// other C0 control characters safely (a NUL breaks many CSV readers): each is
// written as U+FFFD. Ingest rejects them (bad_value), so only data stored
// before that can hold them.
#include <cstring>
#include <optional>
#include <string_view>

#include "query/tick_encoder.h"
#include "query/value_text.h"

namespace ibr::query {
namespace {

// The first 14 columns are the original header; later ones are appended so
// readers that index columns keep working.
constexpr std::string_view kHeader =
    "timestamp,contract_id,tick_type,price,size,bid_price,bid_size,ask_price,ask_size,mid_price,exchange,"
    "conditions,sequence,unix_time,stream_id,past_limit,unreported,bid_past_low,ask_past_high\n";

inline char* Cell(char* p, const std::optional<double>& v) {
  *p++ = ',';
  return v ? WriteDouble(p, *v) : p;
}

inline char* FlagCell(char* p, const std::optional<bool>& v) {
  *p++ = ',';
  if (!v) return p;
  const std::string_view text = *v ? "true" : "false";
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}

// Bytes that need more than a plain copy: quoting (, " CR LF) or replacing
// (the other C0 control characters).
inline bool IsCsvSpecial(unsigned char c) { return c < 0x20 || c == ',' || c == '"'; }
inline bool IsUnsafeControl(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// Worst case: every byte a control character (3 bytes of U+FFFD), plus quotes.
constexpr std::size_t MaxCsvText(std::size_t n) { return 3 * n + 2; }

// Writes `s` as one cell: quoted (quotes doubled) when it holds , " CR or LF;
// other control characters as U+FFFD.
char* WriteCsvText(char* p, std::string_view s) {
  bool special = false, quote = false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsCsvSpecial(c)) {
      special = true;
      quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
    }
  }
  if (!special) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }
  if (quote) *p++ = '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnsafeControl(c)) {
      std::memcpy(p, "\xEF\xBF\xBD", 3);
      p += 3;
      continue;
    }
    if (ch == '"') *p++ = '"';
    *p++ = ch;
  }
  if (quote) *p++ = '"';
  return p;
}

// Fixed parts: commas, the tick type name and flags, 7 doubles, 3 integers, the timestamp.
constexpr std::size_t kCsvFixedBound = 96 + 7 * kMaxDoubleText + 3 * kMaxIntText + kTimestampText;

class CsvEncoder final : public TickEncoder {
 public:
  explicit CsvEncoder(OutputBuffer& out) : TickEncoder(out) {}

  Status Begin(const QueryDescription&) override {
    out_.bytes().append(kHeader);
    return out_.MaybeFlush();
  }

  Status OnTick(const Tick& t, std::string_view) override {
    std::string_view conditions = ConditionsJson(t.conditions);
    std::size_t bound = kCsvFixedBound + 2 * conditions.size() + 2 + MaxCsvText(t.stream_id.size());
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
    p = WriteCsvText(p, conditions);  // JSON text: only quotes need care
    *p++ = ',';
    if (t.sequence) p = WriteUint(p, *t.sequence);
    *p++ = ',';
    if (t.unix_time) p = WriteInt(p, *t.unix_time);
    *p++ = ',';
    p = WriteCsvText(p, t.stream_id);
    p = FlagCell(p, t.past_limit);
    p = FlagCell(p, t.unreported);
    p = FlagCell(p, t.bid_past_low);
    p = FlagCell(p, t.ask_past_high);
    *p++ = '\n';
    b.resize(static_cast<std::size_t>(p - b.data()));
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override { return out_.Flush(); }

 private:
  // ["T","I"] (JSON escapes, so control characters survive as \u0000); "" for none.
  std::string_view ConditionsJson(const std::vector<std::string>& conditions) {
    if (conditions.empty()) return {};
    json_.clear();  // reused: no allocation once warm
    json_.push_back('[');
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (i != 0) json_.push_back(',');
      AppendJsonString(json_, conditions[i]);
    }
    json_.push_back(']');
    return json_;
  }

  TimestampText timestamp_;
  std::string json_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeCsvEncoder(OutputBuffer& out, const EncoderOptions&) {
  return std::make_unique<CsvEncoder>(out);
}

}  // namespace ibr::query
