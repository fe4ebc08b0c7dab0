// StatementCache: the prepared statements of one connection, keyed by SQL
// text, prepared on first use and reused (the writer calls the same few
// statements several times a second). A Lease resets its statement when it
// goes out of scope, so no statement keeps a read snapshot open. Owned by one
// Catalog and used by its thread only.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "catalog/sqlite_db.h"
#include "common/status.h"

namespace ibr::catalog {

class StatementCache {
 public:
  class Lease {
   public:
    explicit Lease(Statement* s) : s_(s) {}
    Lease(Lease&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
    Lease& operator=(Lease&& o) noexcept {
      if (this != &o) {
        if (s_) s_->Reset();
        s_ = std::exchange(o.s_, nullptr);
      }
      return *this;
    }
    ~Lease() {
      if (s_) s_->Reset();
    }
    Statement& operator*() const { return *s_; }
    Statement* operator->() const { return s_; }

   private:
    Statement* s_;
  };

  // The statement for `sql` on `db` (always the same db for one cache).
  Result<Lease> Get(SqliteDb& db, std::string_view sql);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, Statement, Hash, std::equal_to<>> stmts_;
};

}  // namespace ibr::catalog
