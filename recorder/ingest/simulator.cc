// Simulator: per contract a quote (bid in ticks + spread) random walk and a
// schedule of bursts (exponential gaps sized so the mean rate is `rate`);
// the contract with the earliest burst goes next, so envelope timestamps never
// decrease. Each line picks one of three shapes: the spec's (compact, 'Z',
// client stream id, mid_price, conditions [], sequence), the real server's
// wire form (", " separators, "Last"/"AllLast", midpoint, unix_time,
// conditions "", either stream id form) and its storage form (compact,
// "+00:00", bg_ ids, contract_id/tick_type only in metadata as strings).
#include "ingest/simulator.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/time_text.h"
#include "ingest/upstream_names.h"

namespace ibr::ingest {
namespace {

// xoshiro256** seeded through splitmix64: fixed algorithm, same numbers everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Range(int lo, int hi) {  // [lo, hi]
    return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

enum class Shape { kSpec, kWire, kStorage };

struct Market {
  std::int64_t ticks_per_unit = 100;  // 1 / tick size
  bool stock = true;
  double base = 100;
};

Market MarketFor(std::string_view symbol) {
  if (symbol == "MNQ" || symbol == "NQ") return {4, false, 23260};
  if (symbol == "ES" || symbol == "MES") return {4, false, 6400};
  if (symbol == "AAPL") return {100, true, 229.95};
  return {100, true, 100};
}

struct ContractState {
  SimContract contract;
  Market market;
  std::int64_t bid = 0;  // in ticks
  int spread = 1;        // in ticks
  double next_burst_us = 0;
  std::string request_id;
  std::string client_stream[kTickTypeCount];  // {cid}_{tt}_{ms}_{rand}
  std::string bg_stream[kTickTypeCount];      // bg_{cid}_{tt}
  std::uint64_t sequence[kTickTypeCount] = {};
  std::string exchange;
};

// Python's repr(float): shortest round-trip digits, ".0" on whole numbers.
void AppendFloat(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
  if (std::find_if(buf, r.ptr, [](char c) { return c == '.' || c == 'e' || c == 'n'; }) == r.ptr) {
    out.append(".0");
  }
}

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void Append2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

// "2025-07-31 20:04:51": the server's zone-less local time (we use UTC-4).
void AppendLocalTime(std::string& out, TimeUs t) {
  std::int64_t secs = t / kUsPerSecond - 4 * 3600;
  std::int64_t days = secs / 86400, rem = secs % 86400;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  AppendInt(out, y);
  out.push_back('-');
  Append2(out, m);
  out.push_back('-');
  Append2(out, d);
  out.push_back(' ');
  Append2(out, static_cast<unsigned>(rem / 3600));
  out.push_back(':');
  Append2(out, static_cast<unsigned>(rem / 60 % 60));
  out.push_back(':');
  Append2(out, static_cast<unsigned>(rem % 60));
}

// Python datetime.isoformat(): no fraction when it is zero; then the zone.
void AppendPythonIso(std::string& out, TimeUs t, std::string_view zone) {
  std::size_t at = out.size();
  AppendIsoTimestamp(out, t);  // "...SS.ffffffZ"
  out.pop_back();
  if (t % kUsPerSecond == 0) out.resize(at + 19);
  out.append(zone);
}

// Builds one JSON object with either separator style.
class ObjectWriter {
 public:
  ObjectWriter(std::string& out, bool spaced) : out_(out), spaced_(spaced) { out_.push_back('{'); }
  void Key(std::string_view k) {
    if (!first_) out_.append(spaced_ ? ", " : ",");
    first_ = false;
    out_.push_back('"');
    out_.append(k);
    out_.append(spaced_ ? "\": " : "\":");
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    out_.push_back('"');
    out_.append(v);  // our strings never need escaping
    out_.push_back('"');
  }
  void Float(std::string_view k, double v) {
    Key(k);
    AppendFloat(out_, v);
  }
  void Int(std::string_view k, std::int64_t v) {
    Key(k);
    AppendInt(out_, v);
  }
  void Bool(std::string_view k, bool v) {
    Key(k);
    out_.append(v ? "true" : "false");
  }
  void Raw(std::string_view k, std::string_view json) {
    Key(k);
    out_.append(json);
  }
  void End() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool spaced_;
  bool first_ = true;
};

// What one tick says, before it is given a shape.
struct SimTick {
  TickType type;
  double price = 0, size = 0, bid = 0, bid_size = 0, ask = 0, ask_size = 0, mid = 0;
};

}  // namespace

Result<std::vector<SimContract>> ParseSimContracts(std::string_view text) {
  std::vector<SimContract> out;
  auto bad = [&](std::string_view item, const char* why) {
    return Status::InvalidArgument("invalid contract '" + std::string(item) + "' in '" + std::string(text) +
                                   "': " + why + " (expected ID:SYMBOL[,ID:SYMBOL...], e.g. 711280073:MNQ)");
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    std::size_t colon = item.find(':');
    std::string_view id_text = item.substr(0, colon);
    std::string_view symbol = colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
    auto id = ParseContractIdDigits(id_text);
    if (!id) return bad(item, "the id must be a number from 1 to 4294967295");
    if (colon != std::string_view::npos && symbol.empty()) return bad(item, "empty symbol");
    for (char c : symbol) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) {
        return bad(item, "the symbol may hold only letters, digits, '.', '-' and '_'");
      }
    }
    for (const auto& c : out) {
      if (c.id == *id) return bad(item, "the id is listed twice");
    }
    out.push_back({*id, std::string(symbol)});
  }
  return out;
}

Status ValidateSimulatorOptions(const SimulatorOptions& o) {
  if (o.contracts.empty()) return Status::InvalidArgument("simulator: no contracts given");
  for (std::size_t i = 0; i < o.contracts.size(); ++i) {
    if (o.contracts[i].id == 0) return Status::InvalidArgument("simulator: contract id 0 is not valid");
    for (std::size_t j = 0; j < i; ++j) {
      if (o.contracts[j].id == o.contracts[i].id) {
        return Status::InvalidArgument("simulator: contract " + std::to_string(o.contracts[i].id) +
                                       " is listed twice");
      }
    }
  }
  if (o.tick_types.empty()) return Status::InvalidArgument("simulator: no tick types given");
  if (!(o.rate > 0 && o.rate <= 1'000'000)) {
    return Status::InvalidArgument("simulator: rate must be above 0 and at most 1000000 ticks/s per contract");
  }
  if (o.start < 946684800LL * kUsPerSecond || o.start >= 253402300800LL * kUsPerSecond) {
    return Status::InvalidArgument("simulator: start must be between 2000-01-01 and 9999-12-31");
  }
  if (o.duration > 100 * 366 * kUsPerDay) {
    return Status::InvalidArgument("simulator: duration must be at most 100 years (0 or less: no end)");
  }
  return Status::Ok();
}

struct Simulator::Impl {
  SimulatorOptions options;
  Rng rng;
  bool enabled[kTickTypeCount] = {};
  std::vector<ContractState> contracts;
  std::vector<std::string> burst;  // lines of the current burst
  std::size_t burst_size = 0, burst_next = 0;
  TimeUs burst_time = 0;
  std::uint64_t lines = 0;
  std::vector<SimTick> ticks;  // scratch

  explicit Impl(SimulatorOptions o) : options(std::move(o)), rng(options.seed) {
    for (TickType t : options.tick_types) enabled[static_cast<int>(t)] = true;
    std::int64_t start_ms = options.start / 1000;
    for (std::size_t i = 0; i < options.contracts.size(); ++i) {
      ContractState c;
      c.contract = options.contracts[i];
      c.market = MarketFor(c.contract.symbol);
      c.bid = std::llround(c.market.base * static_cast<double>(c.market.ticks_per_unit));
      c.spread = 1;
      c.request_id = std::to_string(60000 + 20 * (i + 1));
      c.exchange = c.market.stock ? "NASDAQ" : "CME";
      std::string cid = std::to_string(c.contract.id);
      for (int t = 0; t < kTickTypeCount; ++t) {
        std::string tt(TickTypeName(static_cast<TickType>(t)));
        c.client_stream[t] = cid + "_" + tt + "_" + std::to_string(start_ms) + "_" + std::to_string(rng.Range(1000, 9999));
        c.bg_stream[t] = "bg_" + cid + "_" + tt;
      }
      c.next_burst_us = static_cast<double>(options.start) + Gap(2.0);
      contracts.push_back(std::move(c));
    }
  }

  // Exponential gap (µs) for a burst of `n` ticks at the configured rate.
  double Gap(double n) { return -std::log(1.0 - rng.Uniform()) * n / options.rate * 1e6; }

  bool On(TickType t) const { return enabled[static_cast<int>(t)]; }

  std::size_t EarliestContract() const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < contracts.size(); ++i) {
      if (contracts[i].next_burst_us < contracts[best].next_burst_us) best = i;
    }
    return best;
  }

  TimeUs EndTime() const { return options.duration > 0 ? options.start + options.duration
                                 : std::numeric_limits<TimeUs>::max(); }

  double Price(const ContractState& c, std::int64_t ticks) const {
    return static_cast<double>(ticks) / static_cast<double>(c.market.ticks_per_unit);
  }
  double RandomSize(const ContractState& c) {
    return c.market.stock ? 100.0 * rng.Range(1, 20) : static_cast<double>(rng.Range(1, 20));
  }

  void QuoteEvent(ContractState& c) {
    double r = rng.Uniform();
    if (r < 0.3) {
      c.bid -= 1;
    } else if (r < 0.6) {
      c.bid += 1;
    }
    c.bid = std::max<std::int64_t>(c.bid, 1);
    double s = rng.Uniform();
    c.spread = s < 0.6 ? 1 : s < 0.9 ? 2 : 3;
    SimTick q{TickType::kBidAsk};
    q.bid = Price(c, c.bid);
    q.ask = Price(c, c.bid + c.spread);
    q.bid_size = RandomSize(c);
    q.ask_size = RandomSize(c);
    if (On(TickType::kBidAsk)) ticks.push_back(q);
    if (On(TickType::kMidPoint)) {
      SimTick m{TickType::kMidPoint};
      m.mid = static_cast<double>(2 * c.bid + c.spread) / static_cast<double>(2 * c.market.ticks_per_unit);
      ticks.push_back(m);
    }
  }

  void TradeEvent(ContractState& c) {
    SimTick t{TickType::kLast};
    t.price = Price(c, rng.Chance(0.5) ? c.bid : c.bid + c.spread);
    t.size = RandomSize(c);
    // AllLast sees every trade; Last skips some (odd lots, unreported prints).
    bool last = On(TickType::kLast) && (!On(TickType::kAllLast) || rng.Chance(0.75));
    if (last) ticks.push_back(t);
    if (On(TickType::kAllLast)) {
      t.type = TickType::kAllLast;
      ticks.push_back(t);
    }
  }

  void MakeBurst() {
    std::size_t i = EarliestContract();
    ContractState& c = contracts[i];
    burst_time = static_cast<TimeUs>(c.next_burst_us);
    ticks.clear();
    bool can_quote = On(TickType::kBidAsk) || On(TickType::kMidPoint);
    bool can_trade = On(TickType::kLast) || On(TickType::kAllLast);
    while (ticks.empty()) {
      bool trade = can_trade && (!can_quote || rng.Chance(0.35));
      if (trade) {
        TradeEvent(c);
        if (can_quote && rng.Chance(0.5)) QuoteEvent(c);  // the book moves with the trade
      } else {
        QuoteEvent(c);
        while (can_quote && rng.Chance(0.2)) QuoteEvent(c);  // several updates in one µs
      }
    }
    if (burst.size() < ticks.size()) burst.resize(ticks.size());
    for (std::size_t k = 0; k < ticks.size(); ++k) Format(c, ticks[k], burst[k]);
    burst_size = ticks.size();
    burst_next = 0;
    c.next_burst_us += Gap(static_cast<double>(ticks.size()));
  }

  void Format(ContractState& c, const SimTick& t, std::string& out) {
    const int tt = static_cast<int>(t.type);
    std::uint64_t seq = c.sequence[tt]++;
    double pick = rng.Uniform();
    Shape shape = pick < 0.4 ? Shape::kSpec : pick < 0.7 ? Shape::kWire : Shape::kStorage;
    bool spaced = shape == Shape::kWire;
    out.clear();
    ObjectWriter env(out, spaced);
    env.Str("type", "tick");
    std::string_view stream = shape == Shape::kSpec                      ? c.client_stream[tt]
                              : shape == Shape::kStorage || rng.Chance(0.5) ? c.bg_stream[tt]
                                                                        : c.client_stream[tt];
    env.Str("stream_id", stream);
    env.Key("timestamp");
    out.push_back('"');
    if (shape == Shape::kSpec) {
      AppendIsoTimestamp(out, burst_time);
    } else {
      AppendPythonIso(out, burst_time, shape == Shape::kWire ? "Z" : "+00:00");
    }
    out.push_back('"');
    env.Key("data");
    ObjectWriter data(out, spaced);
    if (shape == Shape::kSpec) {
      data.Int("contract_id", c.contract.id);
      data.Str("tick_type", TickTypeName(t.type));
    } else {
      if (shape == Shape::kWire) {
        data.Int("contract_id", c.contract.id);
        data.Str("tick_type", t.type == TickType::kLast      ? "Last"
                              : t.type == TickType::kAllLast ? "AllLast"
                                                             : TickTypeName(t.type));
      }
      data.Str("type", t.type == TickType::kBidAsk     ? "bid_ask"
                       : t.type == TickType::kMidPoint ? "midpoint"
                                                       : "time_sales");
      data.Key("timestamp");
      out.push_back('"');
      AppendLocalTime(out, burst_time);
      out.push_back('"');
      data.Int("unix_time", burst_time / kUsPerSecond);
    }
    switch (t.type) {
      case TickType::kBidAsk:
        if (shape == Shape::kSpec) {
          data.Float("bid_price", t.bid);
          data.Float("bid_size", t.bid_size);
          data.Float("ask_price", t.ask);
          data.Float("ask_size", t.ask_size);
        } else {  // the server's order
          data.Float("bid_price", t.bid);
          data.Float("ask_price", t.ask);
          data.Float("bid_size", t.bid_size);
          data.Float("ask_size", t.ask_size);
          data.Bool("bid_past_low", false);
          data.Bool("ask_past_high", false);
        }
        break;
      case TickType::kLast:
      case TickType::kAllLast:
        data.Float("price", t.price);
        data.Float("size", t.size);
        data.Str("exchange", c.exchange);
        data.Raw("conditions", shape == Shape::kSpec ? "[]" : "\"\"");
        if (shape != Shape::kSpec) {
          data.Bool("past_limit", false);
          data.Bool("unreported", false);
        }
        break;
      case TickType::kMidPoint:
        data.Float(shape == Shape::kSpec ? "mid_price" : "midpoint", t.mid);
        break;
    }
    if (shape == Shape::kSpec) data.Int("sequence", static_cast<std::int64_t>(seq));
    data.End();
    if (shape == Shape::kStorage) {
      env.Key("metadata");
      ObjectWriter meta(out, false);
      meta.Str("source", "stream_manager");
      meta.Str("request_id", c.request_id);
      meta.Key("contract_id");
      out.push_back('"');
      AppendInt(out, c.contract.id);
      out.push_back('"');
      meta.Str("tick_type", TickTypeName(t.type));
      meta.End();
    }
    env.End();
  }

  bool Done() const {
    return burst_next >= burst_size && contracts[EarliestContract()].next_burst_us >= static_cast<double>(EndTime());
  }

  bool Next(std::string* line) {
    if (burst_next >= burst_size) {
      if (Done()) return false;
      MakeBurst();
    }
    line->assign(burst[burst_next++]);
    ++lines;
    return true;
  }

  TimeUs NextTimestamp() const {
    if (burst_next < burst_size) return burst_time;
    return static_cast<TimeUs>(contracts[EarliestContract()].next_burst_us);
  }
};

Simulator::Simulator(SimulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Simulator::~Simulator() = default;
bool Simulator::Next(std::string* line) { return impl_->Next(line); }
TimeUs Simulator::NextTimestamp() const { return impl_->NextTimestamp(); }
bool Simulator::Done() const { return impl_->Done(); }
std::uint64_t Simulator::lines() const { return impl_->lines; }

namespace {

Status WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
    } else if (errno == EPIPE) {
      return Status::Unavailable("the reader closed the output (EPIPE)");
    } else if (errno != EINTR) {
      return Status::IoError(std::string("writing simulated ticks failed: ") + std::strerror(errno));
    }
  }
  return Status::Ok();
}

}  // namespace

Status WriteSimulation(const SimulatorOptions& options, int fd, std::uint64_t* lines_written) {
  IBR_RETURN_IF_ERROR(ValidateSimulatorOptions(options));
  constexpr std::size_t kFlushBytes = 1 << 20;
  Simulator sim(options);
  std::string buffer, line;
  buffer.reserve(kFlushBytes + 4096);
  std::uint64_t count = 0;
  Status st;
  while (sim.Next(&line)) {
    buffer.append(line);
    buffer.push_back('\n');
    ++count;
    if (buffer.size() >= kFlushBytes) {
      st = WriteAll(fd, buffer);
      if (!st.ok()) break;
      buffer.clear();
    }
  }
  if (st.ok()) st = WriteAll(fd, buffer);
  if (lines_written) *lines_written = count;
  return st;
}

}  // namespace ibr::ingest
