// libFuzzer target: arbitrary bytes as a tick file (open and sealed), through
// FrameReader, and each frame body through the tick codec. Nothing may crash
// or trip ASan, and what comes back must be self-consistent (checked with
// __builtin_trap so the fuzzer reports it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"

namespace {

using namespace ibr::format;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Any tick we decode must re-encode to bytes that decode to the same bytes.
void CheckReencodes(const ibr::Tick& tick) {
  std::string once, twice;
  EncodeTickMessage(tick, Checksum::kCrc32c, once);
  auto back = DecodeTickMessage(once, ChecksumPolicy::kRequire);
  Check(back.ok());
  EncodeTickMessage(*back, Checksum::kCrc32c, twice);
  Check(once == twice);
  Check(StripChecksum(once).size() + 5 == once.size());
}

void FuzzFrames(std::string_view bytes) {
  FrameReader reader(bytes);
  std::string_view body;
  std::uint64_t consumed = 0;
  while (reader.Next(&body)) {
    Check(!body.empty() && body.size() <= kMaxFrameBytes && Inside(body, bytes));
    Check(reader.offset() == consumed + 4 + body.size());
    consumed = reader.offset();
    for (auto policy : {ChecksumPolicy::kRequire, ChecksumPolicy::kIfPresent}) {
      ibr::Tick tick;
      std::size_t payload = 0;
      if (DecodeTickMessageInto(body, policy, tick, &payload).ok()) {
        Check(payload <= body.size());
        CheckReencodes(tick);
      }
    }
    Check(Inside(StripChecksum(body), body));
  }
  Check(reader.offset() == consumed && consumed <= bytes.size());
  Check((reader.stop() == FrameStop::kEnd) == (consumed == bytes.size()));
}

void FuzzFile(std::string bytes, TickFileKind kind) {
  const std::size_t size = bytes.size();
  auto r = DecodeTickFile(std::move(bytes), kind, /*want_raw_bodies=*/true);
  if (!r.ok()) return;
  const TickFileContents& c = *r;
  Check(c.raw_bodies.size() == c.ticks.size());
  for (std::string_view b : c.raw_bodies) Check(Inside(b, c.storage));
  if (kind == TickFileKind::kSealed) Check(!c.damage.has_value());
  if (c.damage) Check(c.damage->valid_bytes < size && !c.damage->what.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  FuzzFrames(bytes);
  FuzzFile(std::string(bytes), TickFileKind::kOpen);
  FuzzFile(std::string(bytes), TickFileKind::kSealed);
  // Random bytes are almost never a valid LZ4 frame: also seal them, so the
  // sealed path parses fuzzed content behind a good checksum.
  auto sealed = Lz4CompressFrame(bytes, 0);
  Check(sealed.ok());
  FuzzFile(*sealed, TickFileKind::kSealed);
  return 0;
}
