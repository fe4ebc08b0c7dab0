// RowCodec: how catalog values are bound to statements and read back — times
// as fixed-width ISO text, tick types and enums by name, lists as JSON. A
// RowReader turns stored text the catalog would never write (bad timestamp,
// unknown enum) into a Corruption status naming the table, row and column.
// SelectRows/SelectRow run the prepare-bind-step-read of one typed SELECT.
// Used by the Catalog implementation on its own thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_rows.h"
#include "catalog/sqlite_db.h"
#include "catalog/statement_cache.h"
#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"
#include "common/time_text.h"

namespace ibr::catalog {

void BindTime(Statement& s, int i, TimeUs t);
void BindTime(Statement& s, int i, const std::optional<TimeUs>& t);
void BindTickType(Statement& s, int i, TickType t);
void BindTickType(Statement& s, int i, const std::optional<TickType>& t);

class RowReader {
 public:
  RowReader(const Statement& s, std::string_view path, std::string_view table)
      : s_(s), path_(path), table_(table) {}

  std::int64_t Int(int c) const { return s_.Int(c); }
  std::optional<std::int64_t> OptInt(int c) const { return s_.OptInt(c); }
  std::optional<double> OptDouble(int c) const { return s_.OptDouble(c); }
  std::string Text(int c) const { return s_.Text(c); }
  std::optional<std::string> OptText(int c) const { return s_.OptText(c); }
  bool Bool(int c) const { return s_.Int(c) != 0; }

  std::uint32_t ContractId(int c);
  std::optional<std::uint32_t> OptContractId(int c);
  TimeUs Time(int c) { return Parsed(c, &ParseIsoTimestamp); }
  std::optional<TimeUs> OptTime(int c);
  TickType Tick(int c) { return Parsed(c, &ParseTickTypeName); }
  std::optional<TickType> OptTick(int c);
  std::vector<TickType> TickTypes(int c) { return Parsed(c, &TickTypesFromJson); }
  std::vector<std::uint32_t> ContractIds(int c) { return Parsed(c, &ContractIdsFromJson); }
  // The column's text through `parse` (enum names, JSON lists); a value it
  // refuses sets status() and gives V{}.
  template <typename V>
  V Parsed(int c, std::optional<V> (*parse)(std::string_view)) {
    std::string t = s_.Text(c);
    auto v = parse(t);
    if (!v) {
      Fail(c, t);
      return V{};
    }
    return std::move(*v);
  }

  // Ok, or the first bad value met.
  const Status& status() const { return status_; }

 private:
  void Fail(int c, std::string_view value);
  const Statement& s_;
  std::string_view path_, table_;
  Status status_;
};

// The id an INSERT ... RETURNING id statement gives, or its error.
Result<std::int64_t> ReturnedId(Statement& s, std::string_view path);

// Steps `s` to its end, turning each row into a Row with read(RowReader&).
template <typename Row, typename Read>
Result<std::vector<Row>> ReadAll(Statement& s, std::string_view path, std::string_view table, Read read) {
  std::vector<Row> out;
  while (s.Step()) {
    RowReader r(s, path, table);
    Row row = read(r);
    if (!r.status().ok()) return r.status();
    out.push_back(std::move(row));
  }
  if (!s.status().ok()) return s.status();
  return out;
}

// The first row of `s`, if any.
template <typename Row, typename Read>
Result<std::optional<Row>> ReadOne(Statement& s, std::string_view path, std::string_view table, Read read) {
  if (!s.Step()) {
    if (!s.status().ok()) return s.status();
    return std::optional<Row>();
  }
  RowReader r(s, path, table);
  Row row = read(r);
  if (!r.status().ok()) return r.status();
  return std::optional<Row>(std::move(row));
}

// How one table's rows are read: the columns a SELECT lists and the reader of
// one row in that column order.
template <typename Row>
struct RowSpec {
  std::string_view table;
  std::string_view columns;
  Row (*read)(RowReader&);
};

// For SelectRows/SelectRow without parameters.
struct NoBinds {
  void operator()(Statement&) const {}
};

// "SELECT <columns> FROM <table> <rest>".
std::string SelectSql(std::string_view columns, std::string_view table, std::string_view rest);

// SelectSql(spec's columns and table, rest) as a cached statement, its
// parameters bound by bind(Statement&).
template <typename Row, typename Bind>
Result<StatementCache::Lease> BoundSelect(StatementCache& cache, SqliteDb& db, const RowSpec<Row>& spec,
                                          std::string_view rest, Bind& bind) {
  auto st = cache.Get(db, SelectSql(spec.columns, spec.table, rest));
  if (st.ok()) bind(**st);
  return st;
}

// BoundSelect, then every row read with spec.read.
template <typename Row, typename Bind = NoBinds>
Result<std::vector<Row>> SelectRows(StatementCache& cache, SqliteDb& db, const RowSpec<Row>& spec,
                                    std::string_view rest, Bind bind = {}) {
  auto st = BoundSelect(cache, db, spec, rest, bind);
  if (!st.ok()) return st.status();
  return ReadAll<Row>(**st, db.path(), spec.table, spec.read);
}

// BoundSelect, then the first row only (if any).
template <typename Row, typename Bind = NoBinds>
Result<std::optional<Row>> SelectRow(StatementCache& cache, SqliteDb& db, const RowSpec<Row>& spec,
                                     std::string_view rest, Bind bind = {}) {
  auto st = BoundSelect(cache, db, spec, rest, bind);
  if (!st.ok()) return st.status();
  return ReadOne<Row>(**st, db.path(), spec.table, spec.read);
}

}  // namespace ibr::catalog
