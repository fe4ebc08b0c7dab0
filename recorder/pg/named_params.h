// NamedParams: statements with bound parameters, written with named
// placeholders. `{instance}`, `{generation}` ... in SQL text become $1, $2 ...
// (numbered by first use) and their values travel separately (exec_params),
// so no value is ever spliced into SQL text. Placeholders carry their casts in
// the SQL (`{instance}::bigint`). Errors as Status; any thread, own transaction.
#pragma once

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pg/text_row.h"

namespace ibr::pg {

struct BoundStatement {
  std::string sql;  // with $1..$n
  TextRow params;   // $1..$n in order
};

// Every {name} of `sql` replaced by $n; kInvalidArgument when `values` lacks one
// (a bug in the caller's SQL, named in the message).
Result<BoundStatement> BindNamed(std::string_view sql, const std::map<std::string, TextValue>& values);

// Runs a bound statement (exec_params); a failure comes back as PgErrorStatus(what)
// and leaves the transaction aborted (roll it back).
Result<pqxx::result> ExecBound(pqxx::transaction_base& tx, const BoundStatement& statement, const std::string& what);

}  // namespace ibr::pg
