// File header: round trip with protobuf's generated FileHeader, and refusals.
#include "format/file_header.h"

#include <gtest/gtest.h>

#include <random>

#include "tick_stream.pb.h"

namespace ibr::format {
namespace {

constexpr TimeUs kHour = 1'754'010'000'000'000 - 1'754'010'000'000'000 % kUsPerHour;

FileHeaderInfo OpenHeader() {
  FileHeaderInfo h;
  h.start_time = kHour;
  h.end_time = kHour;
  h.contract_id = 711280073;
  h.tick_type = TickType::kAllLast;
  h.hour_bucket = kHour;
  h.part = 1;
  h.instance_name = "prod-a";
  return h;
}

FileHeaderInfo SealedHeader() {
  FileHeaderInfo h = OpenHeader();
  h.start_time = kHour + 1'234'567;
  h.end_time = kHour + kUsPerHour - 1;
  h.message_count = 61234;
  h.compression = "lz4";
  h.part = 3;
  return h;
}

TEST(FileHeaderTest, DefaultsAreThoseOfAnOpenFile) {
  FileHeaderInfo h;
  EXPECT_EQ(h.version, 2u);
  EXPECT_EQ(h.compression, "none");
  EXPECT_EQ(h.message_count, 0u);
  EXPECT_EQ(h.part, 1u);
}

TEST(FileHeaderTest, ProtobufReadsWhatWeWrite) {
  const FileHeaderInfo h = SealedHeader();
  ib_stream::FileHeader m;
  ASSERT_TRUE(m.ParseFromString(EncodeFileHeader(h)));
  EXPECT_EQ(m.version(), 2u);
  EXPECT_EQ(m.start_time().seconds(), h.start_time / kUsPerSecond);
  EXPECT_EQ(m.start_time().nanos(), 234'567'000);
  EXPECT_EQ(m.end_time().seconds(), h.end_time / kUsPerSecond);
  EXPECT_EQ(m.end_time().nanos(), 999'999'000);
  EXPECT_EQ(m.contract_id(), 711280073u);
  EXPECT_EQ(m.tick_type(), "all_last");
  EXPECT_EQ(m.message_count(), 61234u);
  EXPECT_EQ(m.compression(), "lz4");
  EXPECT_EQ(m.hour_bucket_us(), kHour);
  EXPECT_EQ(m.part(), 3u);
  EXPECT_EQ(m.instance_name(), "prod-a");
}

TEST(FileHeaderTest, WeReadWhatProtobufWrites) {
  ib_stream::FileHeader m;
  m.set_version(2);
  m.mutable_start_time()->set_seconds(1754010000);
  m.mutable_end_time()->set_seconds(1754013599);
  m.mutable_end_time()->set_nanos(5000);
  m.set_contract_id(265598);
  m.set_tick_type("mid_point");
  m.set_message_count(7);
  m.set_compression("lz4");
  m.set_hour_bucket_us(1754010000LL * kUsPerSecond);
  m.set_part(2);
  m.set_instance_name("x");
  auto h = DecodeFileHeader(m.SerializeAsString());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->start_time, 1754010000LL * kUsPerSecond);
  EXPECT_EQ(h->end_time, 1754013599LL * kUsPerSecond + 5);
  EXPECT_EQ(h->contract_id, 265598u);
  EXPECT_EQ(h->tick_type, TickType::kMidPoint);
  EXPECT_EQ(h->message_count, 7u);
  EXPECT_EQ(h->compression, "lz4");
  EXPECT_EQ(h->hour_bucket, 1754010000LL * kUsPerSecond);
  EXPECT_EQ(h->part, 2u);
  EXPECT_EQ(h->instance_name, "x");
}

TEST(FileHeaderTest, RoundTrips) {
  for (const FileHeaderInfo& h : {OpenHeader(), SealedHeader()}) {
    auto got = DecodeFileHeader(EncodeFileHeader(h));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, h);
  }
  FileHeaderInfo epoch = OpenHeader();
  epoch.start_time = epoch.end_time = epoch.hour_bucket = -kUsPerHour;
  auto got = DecodeFileHeader(EncodeFileHeader(epoch));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, epoch);
}

TEST(FileHeaderTest, SeedVersionOneHeaderIsRead) {
  ib_stream::FileHeader m;  // as the seed's Python writes it
  m.set_version(1);
  m.mutable_start_time()->set_seconds(1754010000);
  m.mutable_end_time()->set_seconds(1754010000);
  m.set_contract_id(265598);
  m.set_tick_type("bid_ask");
  m.set_compression("none");
  auto h = DecodeFileHeader(m.SerializeAsString());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->version, 1u);
  EXPECT_EQ(h->part, 0u);  // not recorded by the seed
}

TEST(FileHeaderTest, NewerVersionIsRefusedWithWhatToDo) {
  FileHeaderInfo h = OpenHeader();
  h.version = 3;
  auto got = DecodeFileHeader(EncodeFileHeader(h));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(got.status().message().find("upgrade"), std::string::npos);
}

TEST(FileHeaderTest, GarbageIsCorruption) {
  for (const std::string& bad :
       {std::string("\xff\xff\xff", 3), std::string(""), std::string("\x08\x02", 2),
        std::string("\x08\x02\x2A\x03foo", 7)}) {
    auto got = DecodeFileHeader(bad);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  }
}

TEST(FileHeaderTest, UnknownFieldsAreSkipped) {
  // A later version may add fields; a reader of this version skips them.
  std::string body = EncodeFileHeader(SealedHeader());
  body += std::string("\x58\x07", 2);             // field 11, varint
  body += std::string("\x62\x03" "abc", 5);          // field 12, bytes
  body += std::string("\x12\x02\x18\x01", 4);     // start_time gains an unknown field
  auto got = DecodeFileHeader(body);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, SealedHeader());
}

TEST(FileHeaderTest, AgreesWithProtobufOnMutatedBytes) {
  const std::string good = EncodeFileHeader(SealedHeader());
  std::mt19937 rng(5);
  int both_read = 0;
  google::protobuf::LogSilencer quiet;  // protobuf logs each string that is not UTF-8
  for (int i = 0; i < 5000; ++i) {
    std::string b = good;
    b[rng() % b.size()] = static_cast<char>(rng());
    auto ours = DecodeFileHeader(b);
    ib_stream::FileHeader m;
    if (!ours.ok() || !m.ParseFromString(b)) continue;
    ++both_read;
    EXPECT_EQ(ours->version, m.version());
    EXPECT_EQ(ours->contract_id, m.contract_id());
    EXPECT_EQ(TickTypeName(ours->tick_type), m.tick_type());
    EXPECT_EQ(ours->message_count, m.message_count());
    EXPECT_EQ(ours->compression, m.compression());
    EXPECT_EQ(ours->hour_bucket, m.hour_bucket_us());
    EXPECT_EQ(ours->part, m.part());
    EXPECT_EQ(ours->instance_name, m.instance_name());
    EXPECT_EQ(ours->start_time, m.start_time().seconds() * kUsPerSecond + m.start_time().nanos() / 1000);
    EXPECT_EQ(ours->end_time, m.end_time().seconds() * kUsPerSecond + m.end_time().nanos() / 1000);
  }
  EXPECT_GT(both_read, 1000);
}

TEST(FileHeaderTest, TimeOutOfRangeIsCorruption) {
  ib_stream::FileHeader m;
  m.set_version(2);
  m.set_tick_type("last");
  m.mutable_start_time()->set_seconds(-62135596801);
  EXPECT_EQ(DecodeFileHeader(m.SerializeAsString()).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace ibr::format
