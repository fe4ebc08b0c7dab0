#include "pg_copy_rows.h"

#include <array>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace ibr::sync {

namespace {

using RowWriter = void (*)(pqxx::stream_to&, const Row&);

template <std::size_t... I>
void WriteRowImpl(pqxx::stream_to& s, const Row& row, std::index_sequence<I...>) {
  s << std::tie(row[I]...);
}

template <std::size_t N>
void WriteRow(pqxx::stream_to& s, const Row& row) {
  WriteRowImpl(s, row, std::make_index_sequence<N>{});
}

template <std::size_t... N>
constexpr std::array<RowWriter, sizeof...(N)> MakeWriters(std::index_sequence<N...>) {
  return {&WriteRow<N + 1>...};
}

constexpr auto kWriters = MakeWriters(std::make_index_sequence<kMaxCopyColumns>{});

}  // namespace

void CopyRows(pqxx::transaction_base& tx, const std::string& table, const std::vector<Row>& rows) {
  if (rows.empty()) return;
  const std::size_t width = rows.front().size();
  if (width == 0 || width > kMaxCopyColumns) throw std::length_error("CopyRows: unsupported row width");
  RowWriter write = kWriters[width - 1];
  pqxx::stream_to copy(tx, table);
  for (const Row& row : rows) {
    if (row.size() != width) throw std::length_error("CopyRows: rows of different widths");
    write(copy, row);
  }
  copy.complete();
}

}  // namespace ibr::sync
