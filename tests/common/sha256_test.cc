// Sha256 against the FIPS 180-4 / NIST example digests, fed whole and in pieces.
#include "common/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace ibr {
namespace {

std::string Digest(const std::string& s, std::size_t piece) {
  Sha256 h;
  for (std::size_t i = 0; i < s.size(); i += piece) h.Update(std::string_view(s).substr(i, piece));
  return h.HexDigest();
}

TEST(Sha256, MatchesTheStandardsExamples) {
  EXPECT_EQ(Digest("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Digest("abc", 1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (std::size_t piece : {1u, 7u, 56u, 64u}) {
    EXPECT_EQ(Digest(two_blocks, piece), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") << piece;
  }
  EXPECT_EQ(Digest(std::string(1000000, 'a'), 4096), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace ibr
