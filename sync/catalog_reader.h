// CatalogReader: reads one storage root's SQLite catalog for ib-sync —
// read-only, never taking the recorder's lock, each batch from one short read
// transaction (WAL: the recorder keeps writing meanwhile).
//
// A batch is the next window of changes after a position: the first
// `max_rows` changes by change number over every replicated table and the
// tombstones, plus the current row of any session those rows refer to that a
// later window would otherwise bring (so the store can map local session ids).
// One thread at a time per reader.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "batch.h"
#include "catalog/sqlite_db.h"
#include "common/clock.h"
#include "common/status.h"

namespace ibr::sync {

class CatalogReader {
 public:
  // Opens the catalog file read-only; kNotFound when it does not exist yet.
  static Result<std::unique_ptr<CatalogReader>> Open(const std::string& catalog_path);

  struct Head {
    std::string generation;             // catalog_meta.generation_id
    std::int64_t max_change_no = 0;     // change_counter.value
    std::optional<Row> instance;        // the server_instances row, when the recorder made one
    std::string instance_name;
  };
  Result<Head> ReadHead();

  // The changes after `after`, at most max_rows of them (plus referenced
  // sessions). `expected` / `starts_pass` are left for the caller to set.
  Result<Batch> ReadBatch(std::int64_t after, std::size_t max_rows);

  // Rows and tombstones whose change number is above `after`.
  Result<std::int64_t> CountPending(std::int64_t after);
  // When the oldest change above `after` was made (nullopt: nothing pending).
  Result<std::optional<TimeUs>> OldestPendingChange(std::int64_t after);
  // Rows per replicated table (server_instances, collection_sessions, ...).
  Result<std::map<std::string, std::int64_t>> CountRows();

 private:
  explicit CatalogReader(std::unique_ptr<catalog::SqliteDb> db) : db_(std::move(db)) {}
  Result<Head> ReadHeadInTransaction();
  // SELECT of the table's replicated columns WHERE `where`; bind() binds its ?n parameters.
  Status ReadRows(const TableSpec& table, const std::string& where,
                  const std::function<void(catalog::Statement&)>& bind, std::vector<Row>* rows,
                  std::vector<std::int64_t>* change_nos);

  std::unique_ptr<catalog::SqliteDb> db_;
};

}  // namespace ibr::sync
