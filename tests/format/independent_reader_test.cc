// Independent readers: files we write are read by tools that share no code with
// us: the `lz4` command line tool, and Python's protobuf with modules generated
// by protoc from our .proto and from the seed's original .proto (which lacks
// our fields, so it proves a seed reader skips them).
#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "common/file_system.h"
#include "format/crc32c.h"
#include "format/file_header.h"
#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"
#include "sample_ticks.h"

namespace ibr::format {
namespace {

using testing::FullTick;
using testing::RealisticQuotes;

// Prints the header, the count, and the first and last message with every
// field Python sees (doubles as their bit patterns, so nothing is rounded).
constexpr const char* kReaderScript = R"PY(
import struct, sys
sys.path.insert(0, sys.argv[1])
import tick_stream_pb2 as pb

data = open(sys.argv[2], 'rb').read()
frames, pos = [], 0
while pos < len(data):
    (n,) = struct.unpack('>I', data[pos:pos + 4])
    frames.append(data[pos + 4:pos + 4 + n])
    pos += 4 + n

def text(msg):
    parts = []
    for fd, v in msg.ListFields():
        if fd.label == fd.LABEL_REPEATED:
            v = '[' + '|'.join(v) + ']'
        elif fd.type == fd.TYPE_DOUBLE:
            v = 'd%d' % struct.unpack('<Q', struct.pack('<d', v))[0]
        elif fd.type == fd.TYPE_BOOL:
            v = 'true' if v else 'false'
        elif fd.type == fd.TYPE_MESSAGE:
            v = '{' + text(v) + '}'
        parts.append('%s=%s' % (fd.name, v))
    return ' '.join(parts)

header = pb.FileHeader()
header.ParseFromString(frames[0])
print('header', text(header), 'unknown=%d' % len(header.UnknownFields()))
messages = []
for f in frames[1:]:
    m = pb.StreamMessage()
    m.ParseFromString(f)
    messages.append(m)
print('count', len(messages))
for name, m in (('first', messages[0]), ('last', messages[-1])):
    print(name, text(m), 'unknown=%d/%d' % (len(m.UnknownFields()), len(m.tick_data.UnknownFields())))
)PY";

enum class Reader { kOurs, kSeed };

std::string Bits(double d) { return "d" + std::to_string(std::bit_cast<std::uint64_t>(d)); }

std::string TimestampText(TimeUs t) {
  std::int64_t s = t / kUsPerSecond, us = t % kUsPerSecond;
  if (us < 0) {
    us += kUsPerSecond;
    --s;
  }
  std::string out = "{";
  if (s != 0) out += "seconds=" + std::to_string(s);
  if (us != 0) out += std::string(s != 0 ? " " : "") + "nanos=" + std::to_string(us * 1000);
  return out + "}";
}

// What the script prints for a header, given which .proto the reader knows.
std::string HeaderText(const FileHeaderInfo& h, Reader reader) {
  std::string s = "header version=" + std::to_string(h.version);
  s += " start_time=" + TimestampText(h.start_time) + " end_time=" + TimestampText(h.end_time);
  if (h.contract_id) s += " contract_id=" + std::to_string(h.contract_id);
  s += " tick_type=" + std::string(TickTypeName(h.tick_type));
  if (h.message_count) s += " message_count=" + std::to_string(h.message_count);
  s += " compression=" + h.compression;
  if (reader == Reader::kOurs) {
    if (h.hour_bucket) s += " hour_bucket_us=" + std::to_string(h.hour_bucket);
    if (h.part) s += " part=" + std::to_string(h.part);
    if (!h.instance_name.empty()) s += " instance_name=" + h.instance_name;
    return s + " unknown=0";
  }
  // A seed reader keeps hour_bucket_us, part and instance_name as unknown fields.
  const int unknown = (h.hour_bucket ? 1 : 0) + (h.part ? 1 : 0) + (h.instance_name.empty() ? 0 : 1);
  return s + " unknown=" + std::to_string(unknown);
}

// What the script prints for a message. `crc` is set for open files.
std::string MessageText(const char* name, const Tick& t, std::optional<std::uint32_t> crc,
                        Reader reader) {
  const bool ours = reader == Reader::kOurs;
  std::string s = std::string(name) + " type=tick";
  if (!t.stream_id.empty()) s += " stream_id=" + t.stream_id;
  s += " timestamp=" + TimestampText(t.timestamp_us) + " tick_data={";
  if (t.contract_id) s += "contract_id=" + std::to_string(t.contract_id) + " ";
  s += "tick_type=" + std::string(TickTypeName(t.tick_type));
  const std::pair<const char*, const std::optional<double>*> doubles[] = {
      {"price", &t.price},         {"size", &t.size},         {"bid_price", &t.bid_price},
      {"bid_size", &t.bid_size},   {"ask_price", &t.ask_price}, {"ask_size", &t.ask_size},
      {"mid_price", &t.mid_price}};
  for (const auto& [field, value] : doubles) {
    if (*value) s += std::string(" ") + field + "=" + Bits(**value);
  }
  if (t.exchange) s += " exchange=" + *t.exchange;
  if (!t.conditions.empty()) {
    s += " conditions=[";
    for (std::size_t i = 0; i < t.conditions.size(); ++i) s += (i ? "|" : "") + t.conditions[i];
    s += "]";
  }
  if (t.sequence) s += " sequence=" + std::to_string(*t.sequence);
  const std::pair<const char*, const std::optional<bool>*> bools[] = {
      {"past_limit", &t.past_limit}, {"unreported", &t.unreported},
      {"bid_past_low", &t.bid_past_low}, {"ask_past_high", &t.ask_past_high}};
  for (const auto& [field, value] : bools) {
    if (*value) s += std::string(" ") + field + "=" + (**value ? "true" : "false");
  }
  if (ours && t.unix_time) s += " unix_time=" + std::to_string(*t.unix_time);
  s += "}";
  if (ours && t.arrival_seq) s += " arrival_sequence=" + std::to_string(t.arrival_seq);
  if (ours && crc) s += " crc32c=" + std::to_string(*crc);
  int unknown = 0, unknown_in_tick = 0;
  if (!ours) {
    unknown = (t.arrival_seq ? 1 : 0) + (crc ? 1 : 0);
    unknown_in_tick = t.unix_time ? 1 : 0;
  }
  return s + " unknown=" + std::to_string(unknown) + "/" + std::to_string(unknown_in_tick);
}

class IndependentReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "ibr_format_reader_XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    const std::string src = IBR_SOURCE_DIR;
    ASSERT_EQ(Run("mkdir -p " + dir_ + "/ours " + dir_ + "/seed"), "");
    ASSERT_EQ(Run("protoc --python_out=" + dir_ + "/ours -I " + src + "/proto tick_stream.proto"), "");
    ASSERT_EQ(Run("protoc --python_out=" + dir_ + "/seed -I " + src +
                  "/tests/format/seed_proto tick_stream.proto"),
              "");
    Write(dir_ + "/read_ticks.py", kReaderScript);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static void Write(const std::string& path, std::string_view bytes) {
    Status s = PosixFileSystem::Instance().WriteFileAtomic(path, bytes);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs a shell command; returns its output (stdout + stderr), and fails the
  // test when it exits non-zero.
  static std::string Run(const std::string& cmd) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) {
      ADD_FAILURE() << "cannot run " << cmd;
      return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    const int rc = pclose(p);
    EXPECT_EQ(rc, 0) << cmd << "\n" << out;
    return out;
  }

  std::string PythonReads(const std::string& file, Reader reader) {
    return Run("/usr/bin/python3 " + dir_ + "/read_ticks.py " + dir_ +
               (reader == Reader::kOurs ? "/ours " : "/seed ") + file);
  }

  static std::vector<Tick> SampleFileTicks() {
    std::vector<Tick> ticks = RealisticQuotes(2000);
    ticks.front() = FullTick(TickType::kBidAsk);
    ticks.back() = FullTick(TickType::kBidAsk);
    ticks.back().timestamp_us = ticks[ticks.size() - 2].timestamp_us + 1;
    ticks.back().arrival_seq = 999999;
    ticks.back().unix_time = -3;
    ticks.back().conditions = {"a b", "", "c"};
    return ticks;
  }

  std::string dir_;
};

TEST_F(IndependentReaderTest, SealedFileReadsWithLz4ToolAndPython) {
  const std::vector<Tick> ticks = SampleFileTicks();
  FileHeaderInfo h;
  h.start_time = ticks.front().timestamp_us;
  h.end_time = ticks.back().timestamp_us;
  h.contract_id = 711280073;
  h.tick_type = TickType::kBidAsk;
  h.message_count = ticks.size();
  h.compression = "lz4";
  h.hour_bucket = h.start_time - h.start_time % kUsPerHour;
  h.part = 2;
  h.instance_name = "prod-a";
  const std::string content = EncodeSealedContent(h, ticks);
  auto frame = Lz4CompressFrame(content, 4);
  ASSERT_TRUE(frame.ok());
  const std::string sealed = dir_ + "/01_ticks.part2.pb.lz4";
  Write(sealed, *frame);

  Run("lz4 -d -q -f " + sealed + " " + dir_ + "/unpacked.pb");
  auto unpacked = PosixFileSystem::Instance().ReadFile(dir_ + "/unpacked.pb");
  ASSERT_TRUE(unpacked.ok());
  EXPECT_EQ(*unpacked, content);

  for (Reader reader : {Reader::kOurs, Reader::kSeed}) {
    const std::string expected =
        HeaderText(h, reader) + "\ncount " + std::to_string(ticks.size()) + "\n" +
        MessageText("first", ticks.front(), std::nullopt, reader) + "\n" +
        MessageText("last", ticks.back(), std::nullopt, reader) + "\n";
    EXPECT_EQ(PythonReads(dir_ + "/unpacked.pb", reader), expected)
        << (reader == Reader::kOurs ? "our .proto" : "seed .proto");
  }
}

TEST_F(IndependentReaderTest, OpenFileReadsWithPythonAndSeedReaderSkipsOurFields) {
  const std::vector<Tick> ticks = SampleFileTicks();
  FileHeaderInfo h;
  h.start_time = h.end_time = h.hour_bucket =
      ticks.front().timestamp_us - ticks.front().timestamp_us % kUsPerHour;
  h.contract_id = 711280073;
  h.tick_type = TickType::kBidAsk;
  h.instance_name = "prod-a";
  std::string bytes;
  AppendFrame(bytes, EncodeFileHeader(h));
  std::vector<std::uint32_t> crcs;
  for (const Tick& t : ticks) {
    std::string body;
    EncodeTickMessage(t, Checksum::kCrc32c, body);
    crcs.push_back(Crc32c(std::string_view(body).substr(0, body.size() - 5)));
    AppendFrame(bytes, body);
  }
  const std::string open = dir_ + "/01_ticks.pb";
  Write(open, bytes);

  for (Reader reader : {Reader::kOurs, Reader::kSeed}) {
    const std::string expected =
        HeaderText(h, reader) + "\ncount " + std::to_string(ticks.size()) + "\n" +
        MessageText("first", ticks.front(), crcs.front(), reader) + "\n" +
        MessageText("last", ticks.back(), crcs.back(), reader) + "\n";
    EXPECT_EQ(PythonReads(open, reader), expected)
        << (reader == Reader::kOurs ? "our .proto" : "seed .proto");
  }
  // And we read back what we wrote.
  auto ours = DecodeTickFile(bytes, TickFileKind::kOpen, false);
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours->ticks, ticks);
}

}  // namespace
}  // namespace ibr::format
