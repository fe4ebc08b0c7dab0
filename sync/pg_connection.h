// Connecting to the central PostgreSQL (libpqxx 6.4) and turning its
// exceptions into Status values with masked messages.
//
// Connections use libpq conventions: the DSN as given (empty: the PG*
// variables, ~/.pgpass or PGPASSFILE, sslmode ...). Unreachable, restarting,
// refusing or overloaded servers map to kUnavailable (retry later); a missing
// or mismatched schema to kFailedPrecondition; everything else to kInternal.
// Call PgErrorStatus only inside a catch block. Thread-safe functions.
#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "common/status.h"

namespace ibr::sync {

// Opens a connection; errors as Status (masked).
Result<std::unique_ptr<pqxx::connection>> PgConnect(const std::string& dsn);

// The exception being handled as a Status; `what` says what was being done.
Status PgErrorStatus(const std::string& what);

// Whether a Status from PgErrorStatus means the connection is gone.
inline bool IsConnectionLost(const Status& s) { return s.code() == StatusCode::kUnavailable; }

}  // namespace ibr::sync
