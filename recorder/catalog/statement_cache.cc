// StatementCache: prepare once, reuse.
#include "catalog/statement_cache.h"

namespace ibr::catalog {

Result<StatementCache::Lease> StatementCache::Get(SqliteDb& db, std::string_view sql) {
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    auto st = db.Prepare(sql);
    if (!st.ok()) return st.status();
    it = stmts_.emplace(std::string(sql), std::move(st).value()).first;
  }
  return Lease(&it->second);
}

}  // namespace ibr::catalog
