// Tick codec: cross-checked both ways against protobuf's generated classes,
// plus checksums, foreign encodings and malformed bytes.
#include "format/tick_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "format/crc32c.h"
#include "format/wire.h"
#include "sample_ticks.h"
#include "tick_stream.pb.h"

namespace ibr::format {
namespace {

using testing::AllSampleTicks;
using testing::FromProto;
using testing::FullTick;
using testing::MinimalTick;
using testing::ToProto;

std::string Encode(const Tick& t, Checksum c = Checksum::kCrc32c) {
  std::string out;
  EncodeTickMessage(t, c, out);
  return out;
}

std::string Describe(const Tick& t) {
  return std::string(TickTypeName(t.tick_type)) + (t.exchange ? " full" : " minimal");
}

// The top-level fields of a message, as byte spans (tag included).
std::vector<std::string> SplitFields(std::string_view msg) {
  std::vector<std::string> fields;
  wire::WireReader r(msg);
  while (!r.done()) {
    const char* start = r.pos();
    std::uint32_t f = 0, wt = 0;
    EXPECT_TRUE(r.ReadTag(&f, &wt));
    EXPECT_TRUE(r.Skip(f, wt));
    fields.emplace_back(start, r.pos());
  }
  return fields;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

// A length-delimited field: tag byte(s) + varint length + bytes.
std::string LengthField(std::uint32_t field, std::string_view bytes) {
  std::string out(32, '\0');
  char* p = wire::PutVarint(out.data(), (field << 3) | wire::kLengthDelimited);
  p = wire::PutVarint(p, bytes.size());
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out + std::string(bytes);
}

std::string VarintField(std::uint32_t field, std::uint64_t v) {
  std::string out(32, '\0');
  char* p = wire::PutVarint(out.data(), (field << 3) | wire::kVarint);
  p = wire::PutVarint(p, v);
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out;
}

std::string WithCrc(std::string body) {
  const std::uint32_t crc = Crc32c(body);
  body.push_back(0x7D);
  char b[4];
  wire::PutFixed32(b, crc);
  body.append(b, 4);
  return body;
}

// An explicit-presence field as protobuf parsed it vs. the tick's optional.
template <typename T, typename U>
void ExpectOptional(const char* name, bool has, const T& value, const std::optional<U>& want) {
  EXPECT_EQ(has, want.has_value()) << name;
  if (has && want) {
    EXPECT_EQ(value, *want) << name;
  }
}

TEST(TickCodecTest, ProtobufParsesEveryFieldWeWrite) {
  for (const Tick& t : AllSampleTicks()) {
    SCOPED_TRACE(Describe(t));
    const std::string body = Encode(t);
    ib_stream::StreamMessage m;
    ASSERT_TRUE(m.ParseFromString(body));
    EXPECT_EQ(m.type(), "tick");
    EXPECT_EQ(m.stream_id(), t.stream_id);
    ASSERT_TRUE(m.has_timestamp());
    EXPECT_EQ(m.timestamp().seconds(), t.timestamp_us / 1'000'000);
    EXPECT_EQ(m.timestamp().nanos(), (t.timestamp_us % 1'000'000) * 1000);
    ASSERT_EQ(m.message_data_case(), ib_stream::StreamMessage::kTickData);
    EXPECT_TRUE(m.metadata().empty());
    const auto& d = m.tick_data();
    EXPECT_EQ(d.contract_id(), t.contract_id);
    EXPECT_EQ(d.tick_type(), TickTypeName(t.tick_type));
    ExpectOptional("price", d.has_price(), d.price(), t.price);
    ExpectOptional("size", d.has_size(), d.size(), t.size);
    ExpectOptional("bid_price", d.has_bid_price(), d.bid_price(), t.bid_price);
    ExpectOptional("bid_size", d.has_bid_size(), d.bid_size(), t.bid_size);
    ExpectOptional("ask_price", d.has_ask_price(), d.ask_price(), t.ask_price);
    ExpectOptional("ask_size", d.has_ask_size(), d.ask_size(), t.ask_size);
    ExpectOptional("mid_price", d.has_mid_price(), d.mid_price(), t.mid_price);
    ExpectOptional("exchange", d.has_exchange(), d.exchange(), t.exchange);
    EXPECT_EQ(std::vector<std::string>(d.conditions().begin(), d.conditions().end()), t.conditions);
    ExpectOptional("sequence", d.has_sequence(), d.sequence(), t.sequence);
    ExpectOptional("past_limit", d.has_past_limit(), d.past_limit(), t.past_limit);
    ExpectOptional("unreported", d.has_unreported(), d.unreported(), t.unreported);
    ExpectOptional("bid_past_low", d.has_bid_past_low(), d.bid_past_low(), t.bid_past_low);
    ExpectOptional("ask_past_high", d.has_ask_past_high(), d.ask_past_high(), t.ask_past_high);
    ExpectOptional("unix_time", d.has_unix_time(), d.unix_time(), t.unix_time);
    EXPECT_EQ(m.has_arrival_sequence(), t.arrival_seq != 0);
    EXPECT_EQ(m.arrival_sequence(), t.arrival_seq);
    // The CRC is the last 5 bytes and covers everything before them.
    ASSERT_TRUE(m.has_crc32c());
    EXPECT_EQ(static_cast<unsigned char>(body[body.size() - 5]), 0x7Du);
    EXPECT_EQ(m.crc32c(), Crc32c(std::string_view(body).substr(0, body.size() - 5)));
    EXPECT_EQ(FromProto(m), t);
  }
}

TEST(TickCodecTest, SameBytesAsProtobufSerializer) {
  for (const Tick& t : AllSampleTicks()) {
    SCOPED_TRACE(Describe(t));
    ib_stream::StreamMessage m = ToProto(t);
    EXPECT_EQ(Encode(t, Checksum::kNone), m.SerializeAsString());
    m.set_crc32c(Crc32c(m.SerializeAsString()));
    EXPECT_EQ(Encode(t, Checksum::kCrc32c), m.SerializeAsString());
  }
}

TEST(TickCodecTest, DecodesWhatProtobufWrites) {
  for (const Tick& t : AllSampleTicks()) {
    SCOPED_TRACE(Describe(t));
    ib_stream::StreamMessage m = ToProto(t);
    auto plain = DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent);
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    EXPECT_EQ(*plain, t);
    m.set_crc32c(Crc32c(m.SerializeAsString()));
    auto checked = DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kRequire);
    ASSERT_TRUE(checked.ok()) << checked.status().ToString();
    EXPECT_EQ(*checked, t);
  }
}

TEST(TickCodecTest, RoundTripsEveryTickType) {
  for (const Tick& t : AllSampleTicks()) {
    SCOPED_TRACE(Describe(t));
    for (auto c : {Checksum::kNone, Checksum::kCrc32c}) {
      auto got = DecodeTickMessage(Encode(t, c), ChecksumPolicy::kIfPresent);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_EQ(*got, t);
    }
  }
}

TEST(TickCodecTest, ExtremeValuesRoundTrip) {
  Tick t = FullTick(TickType::kLast);
  t.timestamp_us = -1;  // 1969-12-31T23:59:59.999999Z
  t.contract_id = 4294967295u;
  t.arrival_seq = ~0ull;
  t.sequence = ~0ull;
  t.unix_time = -5;
  t.price = -0.0;
  t.size = 1e308;
  t.stream_id.clear();
  const std::string body = Encode(t);
  ib_stream::StreamMessage m;
  ASSERT_TRUE(m.ParseFromString(body));
  EXPECT_EQ(m.timestamp().seconds(), -1);
  EXPECT_EQ(m.timestamp().nanos(), 999'999'000);
  EXPECT_EQ(m.tick_data().unix_time(), -5);
  EXPECT_EQ(FromProto(m), t);
  auto got = DecodeTickMessage(body, ChecksumPolicy::kRequire);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, t);
  EXPECT_TRUE(std::signbit(*got->price));
}

TEST(TickCodecTest, LongStringsNeedMultiByteLengths) {
  Tick t = FullTick(TickType::kAllLast);
  t.stream_id = std::string(1000, 's');
  t.exchange = std::string(300, 'e');
  t.conditions = std::vector<std::string>(50, "cond");
  const std::string body = Encode(t);
  ib_stream::StreamMessage m;
  ASSERT_TRUE(m.ParseFromString(body));
  EXPECT_EQ(FromProto(m), t);
  m.clear_crc32c();
  EXPECT_EQ(Encode(t, Checksum::kNone), m.SerializeAsString());
  auto got = DecodeTickMessage(body, ChecksumPolicy::kRequire);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, t);
}

TEST(TickCodecTest, AppendsWithoutTouchingWhatIsThere) {
  std::string out = "prefix";
  EncodeTickMessage(MinimalTick(TickType::kLast), Checksum::kCrc32c, out);
  EXPECT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.substr(6), Encode(MinimalTick(TickType::kLast)));
}

TEST(TickCodecTest, AnyFieldOrderIsAccepted) {
  for (const Tick& t : AllSampleTicks()) {
    SCOPED_TRACE(Describe(t));
    std::vector<std::string> fields = SplitFields(Encode(t, Checksum::kNone));
    // Reverse the fields of tick_data (field 4) too.
    for (auto& f : fields) {
      if (f[0] != 0x22) continue;
      wire::WireReader r(f);
      std::uint32_t field, wt;
      std::string_view inner;
      ASSERT_TRUE(r.ReadTag(&field, &wt) && r.ReadLengthDelimited(&inner));
      auto inner_fields = SplitFields(inner);
      std::reverse(inner_fields.begin(), inner_fields.end());
      f = LengthField(4, Join(inner_fields));
    }
    std::reverse(fields.begin(), fields.end());
    const std::string shuffled = Join(fields);
    ASSERT_NE(shuffled, Encode(t, Checksum::kNone));
    // Same tick, except that repeated conditions now come in reverse order.
    Tick expected = t;
    std::reverse(expected.conditions.begin(), expected.conditions.end());
    ib_stream::StreamMessage m;
    ASSERT_TRUE(m.ParseFromString(shuffled));
    ASSERT_EQ(FromProto(m), expected);  // what protobuf makes of it
    auto got = DecodeTickMessage(shuffled, ChecksumPolicy::kIfPresent);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, expected);
    auto checked = DecodeTickMessage(WithCrc(shuffled), ChecksumPolicy::kRequire);
    ASSERT_TRUE(checked.ok()) << checked.status().ToString();
    EXPECT_EQ(*checked, expected);
  }
}

TEST(TickCodecTest, UnknownFieldsAndMetadataAreSkipped) {
  ib_stream::StreamMessage m = ToProto(FullTick(TickType::kBidAsk));
  (*m.mutable_metadata())["source"] = "stream_manager";
  (*m.mutable_metadata())["contract_id"] = "711280073";
  std::string body = m.SerializeAsString();
  body += VarintField(100, 42);                       // unknown varint
  body += std::string("\xA1\x06", 2) + std::string(8, '\x01');  // field 100, fixed64
  body += LengthField(101, "unknown bytes");
  body += std::string("\xAB\x06", 2) + VarintField(1, 7) + std::string("\xAC\x06", 2);  // group 101
  body += std::string("\xB5\x06", 2) + std::string(4, '\x02');  // field 102, fixed32
  // Unknown fields inside tick_data and the timestamp are skipped as well.
  body += LengthField(4, VarintField(99, 5) + LengthField(98, "x"));
  body += LengthField(3, VarintField(7, 1));
  ib_stream::StreamMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(body));
  auto got = DecodeTickMessage(body, ChecksumPolicy::kIfPresent);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, FromProto(parsed));
  EXPECT_EQ(*got, FullTick(TickType::kBidAsk));
}

TEST(TickCodecTest, WrongWireTypeForKnownFieldIsSkipped) {
  // contract_id (1) sent as fixed32 and price (3) sent as a varint: protobuf
  // keeps them as unknown fields, and so do we.
  Tick t = MinimalTick(TickType::kLast);
  const std::string extra = std::string("\x0D", 1) + std::string(4, '\x09') + VarintField(3, 1);
  const std::string body = Encode(t, Checksum::kNone) + LengthField(4, extra);
  ib_stream::StreamMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(body));
  auto got = DecodeTickMessage(body, ChecksumPolicy::kIfPresent);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, FromProto(parsed));
  EXPECT_EQ(*got, t);
}

TEST(TickCodecTest, RepeatedMessagesMergeLikeProtobuf) {
  // Two serialized messages back to back parse as their merge.
  Tick a = FullTick(TickType::kLast);
  Tick b = MinimalTick(TickType::kLast);
  b.timestamp_us += 5'000'000;
  b.price = 1.5;
  b.stream_id = "other";
  b.conditions = {"X"};
  const std::string body = Encode(a, Checksum::kNone) + Encode(b, Checksum::kNone);
  ib_stream::StreamMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(body));
  auto got = DecodeTickMessage(body, ChecksumPolicy::kIfPresent);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, FromProto(parsed));
  EXPECT_EQ(got->conditions.size(), 4u);
  EXPECT_EQ(*got->price, 1.5);
  // Concatenated messages that each carry a CRC: each covers what precedes it.
  auto both = DecodeTickMessage(Encode(a) + Encode(b), ChecksumPolicy::kRequire);
  EXPECT_FALSE(both.ok());  // b's CRC covers only b's bytes, not a's
}

TEST(TickCodecTest, OtherMessageKindsAreNotATick) {
  auto expect_not_a_tick = [](const ib_stream::StreamMessage& m, const char* what) {
    auto got = DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent);
    ASSERT_FALSE(got.ok()) << what;
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption) << what;
    EXPECT_NE(got.status().message().find("not a tick"), std::string::npos) << what;
  };
  ib_stream::StreamMessage error;
  error.set_type("error");
  error.mutable_error_data()->set_code("STREAM_TIMEOUT");
  (*error.mutable_error_data()->mutable_details())["k"] = "v";
  expect_not_a_tick(error, "error message");

  ib_stream::StreamMessage complete;
  complete.set_type("complete");
  complete.mutable_complete_data()->set_total_ticks(5);
  expect_not_a_tick(complete, "complete message");

  ib_stream::StreamMessage info;
  info.set_type("info");
  info.mutable_info_data()->mutable_contract_info()->set_symbol("MNQ");
  expect_not_a_tick(info, "info message");

  ib_stream::StreamMessage wrong_type = ToProto(MinimalTick(TickType::kLast));
  wrong_type.set_type("info");
  expect_not_a_tick(wrong_type, "tick data under type info");

  ib_stream::StreamMessage no_data;
  no_data.set_type("tick");
  expect_not_a_tick(no_data, "type tick without tick_data");

  // tick_data followed by error_data: the oneof ends up holding error_data.
  ib_stream::StreamMessage tick = ToProto(MinimalTick(TickType::kLast));
  const std::string body =
      tick.SerializeAsString() + LengthField(5, error.error_data().SerializeAsString());
  ib_stream::StreamMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(body));
  ASSERT_EQ(parsed.message_data_case(), ib_stream::StreamMessage::kErrorData);
  auto got = DecodeTickMessage(body, ChecksumPolicy::kIfPresent);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("not a tick"), std::string::npos);

  // ... and error_data followed by tick_data is a tick again, a fresh one.
  const std::string back = LengthField(5, "") + tick.SerializeAsString();
  ASSERT_TRUE(parsed.ParseFromString(back));
  auto tick_again = DecodeTickMessage(back, ChecksumPolicy::kIfPresent);
  ASSERT_TRUE(tick_again.ok()) << tick_again.status().ToString();
  EXPECT_EQ(*tick_again, FromProto(parsed));
}

TEST(TickCodecTest, UnknownTickTypeIsCorruption) {
  ib_stream::StreamMessage m = ToProto(MinimalTick(TickType::kLast));
  m.mutable_tick_data()->set_tick_type("Last");  // upstream's spelling, not v2
  auto got = DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  m.mutable_tick_data()->clear_tick_type();
  EXPECT_FALSE(DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent).ok());
}

TEST(TickCodecTest, TimestampOutOfRangeIsCorruption) {
  ib_stream::StreamMessage m = ToProto(MinimalTick(TickType::kLast));
  m.mutable_timestamp()->set_seconds(253402300800);  // 10000-01-01
  EXPECT_FALSE(DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent).ok());
  m.mutable_timestamp()->set_seconds(1);
  m.mutable_timestamp()->set_nanos(-1);
  EXPECT_FALSE(DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent).ok());
  m.mutable_timestamp()->set_nanos(1'000'000'000);
  EXPECT_FALSE(DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent).ok());
  m.mutable_timestamp()->set_nanos(1999);  // sub-microsecond part is dropped
  auto got = DecodeTickMessage(m.SerializeAsString(), ChecksumPolicy::kIfPresent);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->timestamp_us, 1'000'001);
}

TEST(TickCodecTest, BadChecksumIsCorruption) {
  const std::string body = Encode(FullTick(TickType::kBidAsk));
  // A flipped bit in the stored CRC.
  std::string bad_crc = body;
  bad_crc.back() ^= 0x10;
  auto got = DecodeTickMessage(bad_crc, ChecksumPolicy::kIfPresent);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("bad checksum"), std::string::npos);
  EXPECT_FALSE(DecodeTickMessage(bad_crc, ChecksumPolicy::kRequire).ok());

  // Any single-bit flip anywhere is caught under kRequire.
  for (std::size_t i = 0; i < body.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = body;
      flipped[i] ^= static_cast<char>(1 << bit);
      ASSERT_FALSE(DecodeTickMessage(flipped, ChecksumPolicy::kRequire).ok())
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST(TickCodecTest, MissingChecksumBreaksRequirePolicyOnly) {
  const std::string body = Encode(MinimalTick(TickType::kMidPoint), Checksum::kNone);
  auto required = DecodeTickMessage(body, ChecksumPolicy::kRequire);
  ASSERT_FALSE(required.ok());
  EXPECT_EQ(required.status().code(), StatusCode::kCorruption);
  EXPECT_NE(required.status().message().find("missing checksum"), std::string::npos);
  EXPECT_TRUE(DecodeTickMessage(body, ChecksumPolicy::kIfPresent).ok());
  // A CRC that is not the last field does not cover the whole message.
  const std::string crc_first = WithCrc(body) + VarintField(9, 77);
  EXPECT_FALSE(DecodeTickMessage(crc_first, ChecksumPolicy::kRequire).ok());
  EXPECT_TRUE(DecodeTickMessage(crc_first, ChecksumPolicy::kIfPresent).ok());
}

TEST(TickCodecTest, EveryTruncationIsRejectedUnderRequire) {
  const std::string body = Encode(FullTick(TickType::kAllLast));
  for (std::size_t n = 0; n < body.size(); ++n) {
    const std::string_view prefix = std::string_view(body).substr(0, n);
    EXPECT_FALSE(DecodeTickMessage(prefix, ChecksumPolicy::kRequire).ok()) << "length " << n;
    (void)DecodeTickMessage(prefix, ChecksumPolicy::kIfPresent);  // must not crash
  }
}

TEST(TickCodecTest, MalformedBytesAreCorruption) {
  const std::vector<std::string> bad = {
      std::string("\x0A", 1),                                 // tag, no length
      std::string("\x0A\x05tick", 6),                         // length past the end
      std::string("\x0A\xFF\xFF\xFF\xFF\x0F", 6),             // huge length
      std::string("\x48\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 12),  // 11-byte varint
      std::string("\x48\x80", 2),                             // torn varint
      std::string("\x00\x01", 2),                             // field number 0
      std::string("\x0E\x01", 2),                             // wire type 6
      std::string("\x0F\x01", 2),                             // wire type 7
      std::string("\x0C", 1),                                 // end group without start
      std::string("\x0B\x08\x01", 3),                         // group never ended
      std::string("\x0B\x14", 2),                             // group ended by another field
      std::string("\x22\x02\x0A\x05", 4),                     // bad length inside tick_data
      std::string("\x1A\x02\x08\x80", 4),                     // torn varint inside timestamp
      std::string("\x19\x00\x00", 3),                         // torn fixed64
      std::string("\x7D\x00\x00", 3),                         // torn CRC
  };
  for (const auto& b : bad) {
    auto got = DecodeTickMessage(b, ChecksumPolicy::kIfPresent);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
    ib_stream::StreamMessage m;
    EXPECT_FALSE(m.ParseFromString(b) && m.has_tick_data() && m.type() == "tick");
  }
}

TEST(TickCodecTest, DeeplyNestedGroupsAreRejectedNotRecursedForever) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "\x0B";  // start group, field 1
  EXPECT_FALSE(DecodeTickMessage(body, ChecksumPolicy::kIfPresent).ok());
}

TEST(TickCodecTest, RandomBytesNeverCrash) {
  std::mt19937 rng(42);
  const std::string good = Encode(FullTick(TickType::kBidAsk));
  for (int i = 0; i < 20000; ++i) {
    std::string b = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) b[rng() % b.size()] = static_cast<char>(rng());
    (void)DecodeTickMessage(b, ChecksumPolicy::kIfPresent);
    (void)StripChecksum(b);
  }
}

TEST(TickCodecTest, DecodeIntoResetsEveryField) {
  Tick reused;
  std::size_t payload = 0;
  const std::string full = Encode(FullTick(TickType::kBidAsk));
  ASSERT_TRUE(DecodeTickMessageInto(full, ChecksumPolicy::kRequire, reused, &payload).ok());
  EXPECT_EQ(reused, FullTick(TickType::kBidAsk));
  EXPECT_EQ(payload, full.size() - 5);
  const std::string minimal = Encode(MinimalTick(TickType::kMidPoint), Checksum::kNone);
  ASSERT_TRUE(DecodeTickMessageInto(minimal, ChecksumPolicy::kIfPresent, reused, &payload).ok());
  EXPECT_EQ(reused, MinimalTick(TickType::kMidPoint));
  EXPECT_EQ(payload, minimal.size());
}

TEST(TickCodecTest, StripChecksumRemovesOnlyAValidTrailingCrc) {
  const Tick t = FullTick(TickType::kLast);
  const std::string with = Encode(t);
  const std::string without = Encode(t, Checksum::kNone);
  EXPECT_EQ(StripChecksum(with), without);
  EXPECT_EQ(StripChecksum(without), without);
  std::string wrong = with;
  wrong.back() ^= 1;
  EXPECT_EQ(StripChecksum(wrong), wrong);
  EXPECT_EQ(StripChecksum(""), "");
  EXPECT_EQ(StripChecksum("\x7D"), "\x7D");
  // The stripped body is what protobuf serializes without the field.
  ib_stream::StreamMessage m;
  ASSERT_TRUE(m.ParseFromString(std::string(StripChecksum(with))));
  EXPECT_FALSE(m.has_crc32c());
}

}  // namespace
}  // namespace ibr::format
