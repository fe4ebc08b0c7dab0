// Streams rows into a table with COPY (pqxx::stream_to): the fast path of
// every batch. libpqxx 6.4 only streams tuples, so rows (vectors of optional
// text) are written through a tuple of references of the row's width.
// Errors come back as a Status (PgErrorStatus), never as an exception.
// Any thread, with its own transaction.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "common/status.h"
#include "pg/text_row.h"

namespace ibr::pg {

constexpr std::size_t kMaxCopyColumns = 32;

// All rows must have the same width, 1..kMaxCopyColumns (the table's columns).
// On error the transaction is unusable: roll it back.
Status CopyRows(pqxx::transaction_base& tx, const std::string& table, const std::vector<TextRow>& rows);

}  // namespace ibr::pg
