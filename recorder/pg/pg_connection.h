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

namespace ibr::pg {

// Opens a connection; errors as Status (masked).
Result<std::unique_ptr<pqxx::connection>> PgConnect(const std::string& dsn);

// The exception being handled as a Status; `what` says what was being done.
Status PgErrorStatus(const std::string& what);

// libpq's text of a lost or refused connection in our words, for an operator:
// "central database connection lost (server restarted?) while trying to <what>"
// for libpq's own-state messages after a restart (e.g. "Could not obtain client
// encoding: not connected."); other texts (connection refused, bad password) are
// kept, masked, after "cannot <what>: ".
std::string DescribeConnectionLoss(const std::string& libpq_text, const std::string& what);

// Whether a Status from PgErrorStatus means the connection is gone.
inline bool IsConnectionLost(const Status& s) { return s.code() == StatusCode::kUnavailable; }

}  // namespace ibr::pg
