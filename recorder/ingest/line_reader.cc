// LineReader: one buffer of kBlockBytes + kMaxLineBytes (+ padding). Lines are
// views into it; a partial line at the end of the buffer is moved to the front
// before the next read(2), so a read always has at least kBlockBytes of room.
#include "ingest/line_reader.h"

#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>

#include "ingest/v2_decoder.h"

namespace ibr::ingest {
namespace {

constexpr std::size_t kBlockBytes = 1 << 20;
constexpr std::size_t kTooLongKeep = 1024;
// Longest run without '\n' that can still be a line: the line plus a '\r'.
constexpr std::size_t kMaxPending = kMaxLineBytes + 1;
constexpr std::size_t kCapacity = kBlockBytes + kMaxPending;

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

struct LineReader::Impl {
  int fd = -1;
  ReadableFile* file = nullptr;  // read instead of fd when set
  std::uint64_t file_offset = 0;
  std::unique_ptr<char[]> buf{new char[kCapacity + kLinePadding]()};
  std::size_t begin = 0;  // first unconsumed byte
  std::size_t scan = 0;   // no '\n' in [begin, scan)
  std::size_t end = 0;    // one past the last byte read
  bool eof = false;
  std::uint64_t line_number = 0;
  std::uint64_t bytes_read = 0;
  Status status;
  XXH3_state_t* hash = XXH3_createState();
  // First kTooLongKeep bytes of an overlong line, padded like every line.
  char too_long[kTooLongKeep + kLinePadding] = {};

  explicit Impl(int f) : fd(f) { XXH3_128bits_reset(hash); }
  explicit Impl(ReadableFile& f) : file(&f) { XXH3_128bits_reset(hash); }
  // One read(2) (or ReadAt) into buf + end; bytes read, 0 at EOF, -1 on error (status set).
  ssize_t ReadSome(std::size_t room);
  ~Impl() { XXH3_freeState(hash); }

  // Moves the unconsumed tail to the front and reads once. False at EOF or on error.
  bool Fill();
  // Consumes an overlong line up to and including its '\n' (or EOF).
  void SkipRestOfLine();
  bool Next(Line* line);
};

bool LineReader::Impl::Fill() {
  if (eof || !status.ok()) return false;
  if (begin > 0) {
    std::memmove(buf.get(), buf.get() + begin, end - begin);
    scan -= begin;
    end -= begin;
    begin = 0;
  }
  for (;;) {
    ssize_t n = ReadSome(kCapacity - end);
    if (n > 0) {
      XXH3_128bits_update(hash, buf.get() + end, static_cast<std::size_t>(n));
      end += static_cast<std::size_t>(n);
      bytes_read += static_cast<std::uint64_t>(n);
      return true;
    }
    if (n == 0) {
      eof = true;
      return false;
    }
    if (n == -2) continue;  // EINTR
    return false;
  }
}

ssize_t LineReader::Impl::ReadSome(std::size_t room) {
  if (file) {
    std::size_t got = 0;
    Status s = file->ReadAt(file_offset, room, buf.get() + end, &got);
    if (!s.ok()) {
      status = s.WithContext("reading input failed");
      return -1;
    }
    file_offset += got;
    return static_cast<ssize_t>(got);
  }
  ssize_t n = ::read(fd, buf.get() + end, room);
  if (n >= 0) return n;
  if (errno == EINTR) return -2;
  status = Status::IoError(std::string("reading input failed: ") + std::strerror(errno));
  return -1;
}

void LineReader::Impl::SkipRestOfLine() {
  for (;;) {
    const void* nl = std::memchr(buf.get() + scan, '\n', end - scan);
    if (nl) {
      begin = scan = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.get()) + 1;
      return;
    }
    begin = scan = end;  // drop everything seen so far: the line is not kept
    if (!Fill()) return;
  }
}

bool LineReader::Impl::Next(Line* line) {
  for (;;) {
    const void* nl = std::memchr(buf.get() + scan, '\n', end - scan);
    std::size_t line_end;
    if (nl) {
      line_end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.get());
    } else if (end - begin > kMaxPending) {
      // Overlong and no end in sight: keep the first 1 KiB, skip to the newline.
      ++line_number;
      std::memcpy(too_long, buf.get() + begin, kTooLongKeep);
      scan = end;
      SkipRestOfLine();
      *line = Line{line_number, std::string_view(too_long, kTooLongKeep), true};
      return true;
    } else {
      scan = end;
      if (Fill()) continue;
      if (!status.ok() || begin == end) return false;  // error, or end of input
      line_end = end;                  // last line without '\n'
    }
    std::size_t next = line_end < end ? line_end + 1 : end;
    std::string_view text(buf.get() + begin, line_end - begin);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    begin = scan = next;
    ++line_number;
    if (IsBlank(text)) continue;
    if (text.size() > kMaxLineBytes) {
      std::size_t keep = kTooLongKeep;
      std::memcpy(too_long, text.data(), keep);
      *line = Line{line_number, std::string_view(too_long, keep), true};
      return true;
    }
    *line = Line{line_number, text, false};
    return true;
  }
}

LineReader::LineReader(int fd) : impl_(std::make_unique<Impl>(fd)) {}
LineReader::LineReader(ReadableFile& file) : impl_(std::make_unique<Impl>(file)) {}
LineReader::~LineReader() = default;
bool LineReader::Next(Line* line) { return impl_->Next(line); }
const Status& LineReader::status() const { return impl_->status; }
std::uint64_t LineReader::bytes_read() const { return impl_->bytes_read; }

std::string LineReader::ContentHash() {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(impl_->hash));
  static const char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    out[2 * i] = kHex[canonical.digest[i] >> 4];
    out[2 * i + 1] = kHex[canonical.digest[i] & 0xF];
  }
  return out;
}

}  // namespace ibr::ingest
