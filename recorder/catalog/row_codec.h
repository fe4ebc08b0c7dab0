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

// Reads the current row of a statement by column NAME (the SELECT's column or
// its AS alias), never by position: a column missing from the SELECT sets an
// Internal status naming it.
class RowReader {
 public:
  RowReader(const Statement& s, std::string_view path, std::string_view table)
      : s_(s), path_(path), table_(table) {}

  std::int64_t Int(std::string_view c) { return Get(c, &Statement::Int, std::int64_t{0}); }
  std::optional<std::int64_t> OptInt(std::string_view c) { return Get(c, &Statement::OptInt, std::optional<std::int64_t>()); }
  std::optional<double> OptDouble(std::string_view c) { return Get(c, &Statement::OptDouble, std::optional<double>()); }
  std::string Text(std::string_view c) { return Get(c, &Statement::Text, std::string()); }
  std::optional<std::string> OptText(std::string_view c) { return Get(c, &Statement::OptText, std::optional<std::string>()); }
  bool Bool(std::string_view c) { return Int(c) != 0; }

  std::uint32_t ContractId(std::string_view c);
  std::optional<std::uint32_t> OptContractId(std::string_view c);
  TimeUs Time(std::string_view c) { return Parsed(c, &ParseIsoTimestamp); }
  std::optional<TimeUs> OptTime(std::string_view c);
  TickType Tick(std::string_view c) { return Parsed(c, &ParseTickTypeName); }
  std::optional<TickType> OptTick(std::string_view c);
  std::vector<TickType> TickTypes(std::string_view c) { return Parsed(c, &TickTypesFromJson); }
  std::vector<std::uint32_t> ContractIds(std::string_view c) { return Parsed(c, &ContractIdsFromJson); }
  // The column's text through `parse` (enum names, JSON lists); a value it
  // refuses sets status() and gives V{}.
  template <typename V>
  V Parsed(std::string_view c, std::optional<V> (*parse)(std::string_view)) {
    const int i = Index(c);
    if (i < 0) return V{};
    std::string t = s_.Text(i);
    auto v = parse(t);
    if (!v) {
      Fail(i, t);
      return V{};
    }
    return std::move(*v);
  }

  // Ok, or the first bad value or missing column met.
  const Status& status() const { return status_; }

 private:
  // The column's position in the result, or -1 (status set) when the SELECT lacks it.
  int Index(std::string_view name);
  bool IsNull(std::string_view c) {
    const int i = Index(c);
    return i < 0 || s_.IsNull(i);
  }
  template <typename V, typename Getter>
  V Get(std::string_view c, Getter get, V missing) {
    const int i = Index(c);
    return i < 0 ? missing : (s_.*get)(i);
  }
  void Fail(int c, std::string_view value);
  const Statement& s_;
  std::string_view path_, table_;
  int columns_ = -1;  // of the result, counted at the first lookup
  int next_ = 0;      // where the next column is looked for first (rows are read in SELECT order)
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
  return st.ok() ? ReadAll<Row>(**st, db.path(), spec.table, spec.read) : Result<std::vector<Row>>(st.status());
}

// BoundSelect, then the first row only (if any).
template <typename Row, typename Bind = NoBinds>
Result<std::optional<Row>> SelectRow(StatementCache& cache, SqliteDb& db, const RowSpec<Row>& spec,
                                     std::string_view rest, Bind bind = {}) {
  auto st = BoundSelect(cache, db, spec, rest, bind);
  return st.ok() ? ReadOne<Row>(**st, db.path(), spec.table, spec.read) : Result<std::optional<Row>>(st.status());
}

}  // namespace ibr::catalog
