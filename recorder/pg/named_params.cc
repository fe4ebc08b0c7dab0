// NamedParams: {name} placeholders -> $n, values bound.
#include "pg/named_params.h"

#include "pg/pg_connection.h"

namespace ibr::pg {

Result<BoundStatement> BindNamed(std::string_view sql, const std::map<std::string, TextValue>& values) {
  BoundStatement out;
  std::map<std::string, int, std::less<>> numbers;
  std::size_t i = 0;
  while (i < sql.size()) {
    const std::size_t open = sql.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : sql.find('}', open);
    if (close == std::string_view::npos) {
      out.sql.append(sql.substr(i));
      break;
    }
    const std::string_view name = sql.substr(open + 1, close - open - 1);
    const bool placeholder = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
                                                  std::string_view::npos;
    out.sql.append(sql.substr(i, open - i));
    if (!placeholder) {  // not ours (e.g. an array literal '{1,2}'): copied as it is
      out.sql += '{';
      i = open + 1;
      continue;
    }
    auto known = numbers.find(name);
    if (known == numbers.end()) {
      auto v = values.find(std::string(name));
      if (v == values.end()) {
        return Status::InvalidArgument("SQL placeholder {" + std::string(name) + "} has no value: " +
                                       std::string(sql.substr(0, 120)));
      }
      out.params.push_back(v->second);
      known = numbers.emplace(std::string(name), static_cast<int>(out.params.size())).first;
    }
    out.sql += "$" + std::to_string(known->second);
    i = close + 1;
  }
  return out;
}

Result<pqxx::result> ExecBound(pqxx::transaction_base& tx, const BoundStatement& statement, const std::string& what) {
  try {
    return tx.exec_params(statement.sql, pqxx::prepare::make_dynamic_params(statement.params));
  } catch (...) {
    return PgErrorStatus(what);
  }
}

}  // namespace ibr::pg
