// RowCodec: catalog values <-> SQLite values.
#include "catalog/row_codec.h"

#include <limits>

#include "common/time_text.h"

namespace ibr::catalog {

void BindTime(Statement& s, int i, TimeUs t) { s.Bind(i, FormatIsoTimestamp(t)); }

void BindTime(Statement& s, int i, const std::optional<TimeUs>& t) {
  if (t) {
    BindTime(s, i, *t);
  } else {
    s.BindNull(i);
  }
}

void BindTickType(Statement& s, int i, TickType t) { s.Bind(i, TickTypeName(t)); }

void BindTickType(Statement& s, int i, const std::optional<TickType>& t) {
  if (t) {
    BindTickType(s, i, *t);
  } else {
    s.BindNull(i);
  }
}

Result<std::int64_t> ReturnedId(Statement& s, std::string_view path) {
  if (s.Step()) return s.Int(0);
  IBR_RETURN_IF_ERROR(s.status());
  return Status::Internal("catalog " + std::string(path) + ": INSERT ... RETURNING gave no row");
}

std::string SelectSql(std::string_view columns, std::string_view table, std::string_view rest) {
  std::string sql = "SELECT ";
  sql.append(columns).append(" FROM ").append(table).append(" ").append(rest);
  return sql;
}

void RowReader::Fail(int c, std::string_view value) {
  if (!status_.ok()) return;
  std::string m = "catalog ";
  m.append(path_);
  m += ": table ";
  m.append(table_);
  m += " column ";
  m += s_.ColumnName(c);
  m += " holds '";
  m.append(value.substr(0, 80));
  m += "', which this ib-recorder never writes: the catalog was changed by hand or is damaged "
       "(run `ib-recorder rebuild-catalog`)";
  status_ = Status::Corruption(std::move(m));
}

int RowReader::Index(std::string_view name) {
  if (columns_ < 0) {  // Statement::ColumnName gives "?" past the last column of the result
    columns_ = 0;
    while (std::string_view(s_.ColumnName(columns_)) != "?") ++columns_;
  }
  const int n = columns_;
  for (int k = 0; k < n; ++k) {
    const int i = (next_ + k) % n;
    if (name == s_.ColumnName(i)) {
      next_ = i + 1;
      return i;
    }
  }
  if (status_.ok()) {
    status_ = Status::Internal("catalog " + std::string(path_) + ": the SELECT of table " + std::string(table_) +
                               " has no column '" + std::string(name) +
                               "' (a bug in this ib-recorder: please report it)");
  }
  return -1;
}

std::uint32_t RowReader::ContractId(std::string_view c) {
  const int i = Index(c);
  if (i < 0) return 0;
  std::int64_t v = s_.Int(i);
  if (v < 0 || v > std::numeric_limits<std::uint32_t>::max()) {
    Fail(i, std::to_string(v));
    return 0;
  }
  return static_cast<std::uint32_t>(v);
}

std::optional<std::uint32_t> RowReader::OptContractId(std::string_view c) {
  if (IsNull(c)) return std::nullopt;
  return ContractId(c);
}

std::optional<TimeUs> RowReader::OptTime(std::string_view c) {
  if (IsNull(c)) return std::nullopt;
  return Time(c);
}

std::optional<TickType> RowReader::OptTick(std::string_view c) {
  if (IsNull(c)) return std::nullopt;
  return Tick(c);
}

}  // namespace ibr::catalog
