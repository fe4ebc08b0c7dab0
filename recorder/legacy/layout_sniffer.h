// LayoutSniffer: which of the four layouts a file really is, from its bytes,
// with the path's hint (LegacyTree) as the tie-breaker — trees are renamed
// and mixed ("test_storage_v3/json"), so the folder name alone is not enough.
// JSON: v3 when its first parsable line is a v3 record. Protobuf: the byte
// order (little-endian: v2, big-endian: v3) under which the file splits into
// whole frames to its last byte; when both or neither do (a torn file), the
// one that frames more bytes, then the hint. Pure function.
#pragma once

#include <string_view>

#include "legacy/legacy_tree.h"

namespace ibr::legacy {

LegacyLayout SniffLayout(std::string_view content, LegacyLayout hint);

}  // namespace ibr::legacy
