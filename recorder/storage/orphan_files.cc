// OrphanFiles: empty files, orphan files and orphan rows.
#include "storage/orphan_files.h"

#include "common/time_text.h"
#include "storage/layout.h"

namespace ibr::storage {

std::string DescribeTickFileRow(const catalog::TickFileRow& r) {
  return "count=" + std::to_string(r.message_count) + " size=" + std::to_string(r.file_size_bytes) +
         " status=" + (r.status == catalog::FileStatus::kSealed ? "sealed" : "open");
}

namespace {

StoreProblem Finding(ProblemKind kind, std::string file, std::string what, const char* todo, const char* done,
                     bool repaired) {
  return StoreProblem{kind, std::move(file), std::move(what), repaired ? done : todo};
}

}  // namespace

StoreProblem EmptyFileProblem(const std::string& rel, std::uint64_t size, bool has_row, bool repaired) {
  return Finding(ProblemKind::kEmptyFile, rel, "empty file: no ticks in its " + std::to_string(size) + " bytes",
                 has_row ? "remove the file and its catalog row" : "remove the file",
                 has_row ? "removed the file and its catalog row" : "removed the file", repaired);
}

StoreProblem OrphanFileProblem(const catalog::TickFileRow& f, bool repaired) {
  return Finding(ProblemKind::kOrphanFile, f.file_path,
                 "orphan file: on disk but not in the catalog (" + DescribeTickFileRow(f) + ")",
                 "adopt it into the catalog from what the file holds (as rebuild-catalog does)",
                 "adopted it into the catalog from what the file holds (as rebuild-catalog does)", repaired);
}

StoreProblem OrphanRowProblem(const catalog::TickFileRow& r, bool repaired) {
  return Finding(ProblemKind::kOrphanRow, r.file_path,
                 "orphan catalog row: the catalog lists a file that is not on disk (" + DescribeTickFileRow(r) + ")",
                 "drop the catalog row", "dropped the catalog row", repaired);
}

Status RemoveEmptyTickFile(FileSystem& fs, const std::string& root, const std::string& rel,
                           const catalog::TickFileRow& key, bool has_row, catalog::Catalog& catalog) {
  IBR_RETURN_IF_ERROR(fs.Remove(JoinPath(root, rel)));
  IBR_RETURN_IF_ERROR(fs.SyncDir(DirName(JoinPath(root, rel))));
  if (!has_row) return Status::Ok();
  return catalog.DeleteTickFile(key.contract_id, key.tick_type, key.hour_bucket, key.part);
}

Status AdoptOrphanFile(const catalog::TickFileRow& from_file, catalog::Catalog& catalog) {
  auto id = catalog.UpsertTickFile(from_file);
  if (!id.ok()) return id.status();
  if (from_file.message_count == 0) return Status::Ok();
  catalog::ContractRow c;
  c.contract_id = from_file.contract_id;
  c.first_seen = from_file.start_time;
  c.last_seen = from_file.end_time;
  return catalog.UpsertContract(c);
}

}  // namespace ibr::storage
