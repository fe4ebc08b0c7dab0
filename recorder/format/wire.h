// Protobuf wire-format primitives for format/'s hand-written codecs: varints,
// little-endian fixed-width values, tags, and skipping fields a codec does not
// know. Writers put bytes through a raw cursor into space the caller has
// reserved; WireReader never reads outside [begin, end). Header-only because
// it is the hot path of ingest and queries. Pure; not for use outside format/.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ibr::format::wire {

enum WireType : std::uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

constexpr std::size_t kMaxVarintBytes = 10;
constexpr int kMaxGroupDepth = 64;

inline std::size_t VarintSize(std::uint64_t v) {
  return static_cast<std::size_t>((std::bit_width(v | 1) + 6) / 7);
}

inline char* PutVarint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

inline char* PutFixed32(char* p, std::uint32_t v) {
  if constexpr (std::endian::native != std::endian::little) v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
  return p + 4;
}

inline char* PutFixed64(char* p, std::uint64_t v) {
  if constexpr (std::endian::native != std::endian::little) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
  return p + 8;
}

inline char* PutBytes(char* p, std::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline std::uint32_t LoadFixed32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native != std::endian::little) v = __builtin_bswap32(v);
  return v;
}

inline std::uint64_t LoadFixed64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native != std::endian::little) v = __builtin_bswap64(v);
  return v;
}

// A bounds-checked cursor over one message's bytes. Every Read* returns false
// (and leaves the cursor somewhere inside the range) on malformed input.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool done() const { return p_ == end_; }
  const char* pos() const { return p_; }

  bool ReadVarint(std::uint64_t* v) {
    if (p_ != end_ && static_cast<unsigned char>(*p_) < 0x80) {
      *v = static_cast<unsigned char>(*p_++);
      return true;
    }
    return ReadVarintSlow(v);
  }

  // A tag with a field number >= 1 and a wire type that exists.
  bool ReadTag(std::uint32_t* field, std::uint32_t* wire_type) {
    std::uint32_t tag;
    if (!ReadRawTag(&tag)) return false;
    *field = tag >> 3;
    *wire_type = tag & 7;
    return *field != 0 && *wire_type <= kFixed32;
  }

  // The tag as one number (field << 3 | wire type), for a switch over the
  // tags a codec expects; not yet checked: pass anything else to SkipTag.
  bool ReadRawTag(std::uint32_t* tag) {
    std::uint64_t v;
    if (!ReadVarint(&v) || v > 0xFFFFFFFFu) return false;
    *tag = static_cast<std::uint32_t>(v);
    return true;
  }

  // Checks a raw tag and skips its field's value.
  bool SkipTag(std::uint32_t tag) {
    const std::uint32_t field = tag >> 3, wire_type = tag & 7;
    return field != 0 && wire_type <= kFixed32 && Skip(field, wire_type);
  }

  bool ReadFixed32(std::uint32_t* v) {
    if (end_ - p_ < 4) return false;
    *v = LoadFixed32(p_);
    p_ += 4;
    return true;
  }

  bool ReadFixed64(std::uint64_t* v) {
    if (end_ - p_ < 8) return false;
    *v = LoadFixed64(p_);
    p_ += 8;
    return true;
  }

  bool ReadDouble(double* d) {
    std::uint64_t v;
    if (!ReadFixed64(&v)) return false;
    *d = std::bit_cast<double>(v);
    return true;
  }

  bool ReadLengthDelimited(std::string_view* s) {
    std::uint64_t len;
    if (!ReadVarint(&len) || len > static_cast<std::uint64_t>(end_ - p_)) return false;
    *s = std::string_view(p_, static_cast<std::size_t>(len));
    p_ += len;
    return true;
  }

  // Skips the value of a field whose tag was just read (groups included).
  bool Skip(std::uint32_t field, std::uint32_t wire_type, int depth = 0) {
    std::uint64_t v;
    std::string_view s;
    switch (wire_type) {
      case kVarint: return ReadVarint(&v);
      case kFixed64: return ReadFixed64(&v);
      case kLengthDelimited: return ReadLengthDelimited(&s);
      case kFixed32: {
        std::uint32_t v32;
        return ReadFixed32(&v32);
      }
      case kStartGroup: {
        if (depth >= kMaxGroupDepth) return false;
        for (;;) {
          std::uint32_t f, wt;
          if (!ReadTag(&f, &wt)) return false;
          if (wt == kEndGroup) return f == field;
          if (!Skip(f, wt, depth + 1)) return false;
        }
      }
      default: return false;  // an end-group tag without its start
    }
  }

 private:
  bool ReadVarintSlow(std::uint64_t* v) {
    std::uint64_t r = 0;
    for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
      if (p_ == end_) return false;
      const auto b = static_cast<unsigned char>(*p_++);
      r |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
      if (b < 0x80) {
        *v = r;
        return true;
      }
    }
    return false;  // longer than 10 bytes
  }

  const char* p_;
  const char* end_;
};

}  // namespace ibr::format::wire
