// Sha256: the SHA-256 digest (FIPS 180-4) of a byte stream, fed in pieces,
// for the checksums export writes into its manifest. Plain value; one thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ibr {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // The digest as 64 lowercase hex digits; ends the stream (call once).
  std::string HexDigest();

 private:
  void Block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  unsigned char buf_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes
};

}  // namespace ibr
