// Exit codes shared by the ib-recorder subcommands (documented in README.md):
// 0 done, 1 could not do it (I/O, storage, database), 2 usage error.
// Subcommands with further codes (ingest's 3 "refused", query's 3 "incomplete") define them
// next to their use.
#pragma once

namespace ibr::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

}  // namespace ibr::cli
