// OrphanFiles: StoreCheck's tidy findings, described once — empty tick files
// (a file that holds no tick), orphan files (on disk without a catalog row)
// and orphan rows (a catalog row whose file is gone) — with what repair does
// about each and the repair itself. Pure text builders plus catalog/file
// operations run inside StoreCheck's repair transaction (writer thread).
#pragma once

#include <cstdint>
#include <string>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/store_check.h"

namespace ibr::storage {

// "count=N size=B status=open|sealed": a catalog row in one line.
std::string DescribeTickFileRow(const catalog::TickFileRow& row);

// `repaired`: the text says what repair did, else what --repair would do.
StoreProblem EmptyFileProblem(const std::string& rel, std::uint64_t size, bool has_row, bool repaired);
StoreProblem OrphanFileProblem(const catalog::TickFileRow& from_file, bool repaired);
StoreProblem OrphanRowProblem(const catalog::TickFileRow& row, bool repaired);

// Removes an empty tick file and, when it has one, its catalog row.
Status RemoveEmptyTickFile(FileSystem& fs, const std::string& root, const std::string& rel,
                           const catalog::TickFileRow& key, bool has_row, catalog::Catalog& catalog);
// Adopts an orphan file as rebuild-catalog would: its row (from what the file
// holds) and its contract's first/last seen. The caller recomputes daily stats.
Status AdoptOrphanFile(const catalog::TickFileRow& from_file, catalog::Catalog& catalog);

}  // namespace ibr::storage
