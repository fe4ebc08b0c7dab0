// Batch: one window of catalog changes on its way to the central store.
//
// Made by CatalogReader from one read snapshot, completed by SyncAgent (the
// position it continues from) and applied atomically by a CentralStore. Values
// are already in PostgreSQL's text form (see value_text.h). Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/text_row.h"
#include "replicated_tables.h"
#include "sync_position.h"

namespace ibr::sync {

// One column value in PostgreSQL text form; nullopt is SQL NULL.
using Value = pg::TextValue;
using Row = pg::TextRow;  // in the order of TableSpec::columns

struct TableRows {
  const TableSpec* table = nullptr;
  std::vector<Row> rows;
};

// A catalog deletion: the natural key of the deleted row, in the order of
// TableSpec::natural_key.
struct Tombstone {
  const TableSpec* table = nullptr;
  Row key;
  std::int64_t change_no = 0;
};

struct Batch {
  std::string instance_name;
  Row instance;                 // the catalog's server_instances row (always sent)
  std::string generation;       // catalog generation of the snapshot
  std::int64_t from_change_no = 0;  // exclusive
  std::int64_t to_change_no = 0;    // inclusive: the position once applied
  bool reaches_end = false;     // to_change_no is the catalog's newest change
  std::int64_t catalog_max_change_no = 0;

  // Set by the agent: the position the store must hold for the batch to apply,
  // and whether the batch begins a full re-send (new pass, sweep at its end).
  SyncPosition expected;
  bool starts_pass = false;

  std::vector<Tombstone> tombstones;   // applied before the rows
  std::vector<TableRows> tables;       // dependency order; only tables with rows
  std::vector<std::string> warnings;   // e.g. orphan rows left out

  std::size_t RowCount() const {
    std::size_t n = tombstones.size();
    for (const auto& t : tables) n += t.rows.size();
    return n;
  }
};

}  // namespace ibr::sync
