#include "pg/pg_copy_rows.h"

#include <array>
#include <tuple>
#include <utility>

#include "pg/pg_connection.h"

namespace ibr::pg {

namespace {

using RowWriter = void (*)(pqxx::stream_to&, const TextRow&);

template <std::size_t... I>
void WriteRowImpl(pqxx::stream_to& s, const TextRow& row, std::index_sequence<I...>) {
  s << std::tie(row[I]...);
}

template <std::size_t N>
void WriteRow(pqxx::stream_to& s, const TextRow& row) {
  WriteRowImpl(s, row, std::make_index_sequence<N>{});
}

template <std::size_t... N>
constexpr std::array<RowWriter, sizeof...(N)> MakeWriters(std::index_sequence<N...>) {
  return {&WriteRow<N + 1>...};
}

constexpr auto kWriters = MakeWriters(std::make_index_sequence<kMaxCopyColumns>{});

}  // namespace

Status CopyRows(pqxx::transaction_base& tx, const std::string& table, const std::vector<TextRow>& rows) {
  if (rows.empty()) return Status::Ok();
  const std::size_t width = rows.front().size();
  if (width == 0 || width > kMaxCopyColumns) {
    return Status::Internal("COPY into " + table + ": rows of " + std::to_string(width) + " columns (supported: 1.." +
                            std::to_string(kMaxCopyColumns) + ")");
  }
  for (const TextRow& row : rows) {
    if (row.size() != width) return Status::Internal("COPY into " + table + ": rows of different widths");
  }
  RowWriter write = kWriters[width - 1];
  try {
    pqxx::stream_to copy(tx, table);
    for (const TextRow& row : rows) write(copy, row);
    copy.complete();
  } catch (...) {
    return PgErrorStatus("COPY rows into " + table);
  }
  return Status::Ok();
}

}  // namespace ibr::pg
