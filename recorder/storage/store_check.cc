// StoreCheck: files vs checksums vs catalog; recovery and verify.
#include "storage/store_check.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "common/time_text.h"
#include "format/frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"
#include "storage/damage_quarantine.h"
#include "storage/duplicate_ticks.h"
#include "storage/file_stats.h"
#include "storage/layout.h"
#include "storage/orphan_files.h"
#include "storage/stale_sessions.h"
#include "storage/tick_file_walk.h"

namespace ibr::storage {
namespace {

class Checker {
 public:
  Checker(const StoreCheckOptions& o, FileSystem& fs, catalog::Catalog& cat, const Clock& clock)
      : o_(o), fs_(fs), cat_(cat), clock_(clock) {}

  Result<StoreCheckReport> Run();

 private:
  void Problem(std::string file, std::string what, std::string repair_check, std::string repair_done,
               ProblemKind kind = ProblemKind::kInconsistency) {
    Add({kind, std::move(file), std::move(what), o_.repair ? std::move(repair_done) : std::move(repair_check)});
  }
  void Add(StoreProblem p) {
    if (p.kind == ProblemKind::kEmptyFile) ++report_.empty_files;
    if (p.kind == ProblemKind::kOrphanFile) ++report_.orphan_files;
    if (p.kind == ProblemKind::kOrphanRow) ++report_.orphan_rows;
    report_.problems.push_back(std::move(p));
  }
  // An empty tick file (report_empty): reported, and removed with its row in repair mode.
  Status Empty(const FileKey& key, const std::string& rel, std::uint64_t size);
  Status CheckSealed(const FileKey& key, FoundFile& f, bool& sealed_ok);
  Status CheckOpen(const FileKey& key, const FoundFile& f);
  Status CheckOpenBytes(const FileKey& key, const FoundFile& f, std::string bytes, std::uint64_t durable);
  std::string ExpectedOpenHeaderFrame(const FileKey& key) const;  // length prefix included
  // Ticks identical (but for their arrival sequence) to ones seen before in the same hour.
  void CheckDuplicates(const FileKey& key, const std::string& rel, const std::vector<Tick>& ticks);
  Status Reconcile(const FileKey& key, catalog::TickFileRow actual, bool tolerate_ahead);
  // The catalog row a file's ticks describe (their totals are added to the report).
  catalog::TickFileRow RowFor(const FileKey& key, const std::string& rel, catalog::FileStatus status,
                              const char* compression, std::uint64_t size, const std::vector<Tick>& ticks);
  Status Quarantine(const std::string& rel);
  void Account(const FileStats& s) {
    report_.ticks += static_cast<std::uint64_t>(s.count);
    if (s.last_sequence) report_.next_arrival_seq = std::max<std::uint64_t>(report_.next_arrival_seq, *s.last_sequence + 1);
    if (s.count > 0) report_.last_tick_time = std::max(report_.last_tick_time, s.end_time);
  }

  const StoreCheckOptions& o_;
  FileSystem& fs_;
  catalog::Catalog& cat_;
  const Clock& clock_;
  StoreCheckReport report_;
  std::map<FileKey, catalog::TickFileRow> rows_;
  std::set<FileKey> seen_;
  std::set<std::tuple<std::uint32_t, TickType, std::string>> touched_days_;
  bool drop_unacknowledged_ = false;  // repairing after a `--source http` writer stopped mid-session
  std::string instance_name_;  // the root's instance: written in every open file's header
  DuplicateTicks duplicates_;
};

Status Checker::Quarantine(const std::string& rel) {
  std::string to = JoinPath(o_.root, "quarantine/" + rel);
  IBR_RETURN_IF_ERROR(fs_.CreateDirs(DirName(to)));
  IBR_RETURN_IF_ERROR(fs_.Rename(JoinPath(o_.root, rel), to));
  return fs_.SyncDir(DirName(JoinPath(o_.root, rel)));
}

Status Checker::Empty(const FileKey& key, const std::string& rel, std::uint64_t size) {
  const bool has_row = rows_.count(key) > 0;
  Add(EmptyFileProblem(rel, size, has_row, o_.repair));
  if (!o_.repair) return Status::Ok();
  catalog::TickFileRow k;
  std::tie(k.contract_id, k.tick_type, k.hour_bucket, k.part) = key;
  IBR_RETURN_IF_ERROR(RemoveEmptyTickFile(fs_, o_.root, rel, k, has_row, cat_));
  if (has_row) touched_days_.insert({k.contract_id, k.tick_type, FormatIsoDate(k.hour_bucket)});
  return Status::Ok();
}

Status Checker::Reconcile(const FileKey& key, catalog::TickFileRow actual, bool tolerate_ahead) {
  auto it = rows_.find(key);
  if (it == rows_.end()) {
    // A live writer's new file is on disk before its first flush records it.
    if (tolerate_ahead && actual.status == catalog::FileStatus::kOpen) return Status::Ok();
    Add(OrphanFileProblem(actual, o_.repair));
    if (o_.repair) {
      IBR_RETURN_IF_ERROR(AdoptOrphanFile(actual, cat_));
      touched_days_.insert({actual.contract_id, actual.tick_type, FormatIsoDate(actual.hour_bucket)});
    }
    return Status::Ok();
  }
  bool differs = true;
  std::string was;
  {
    const catalog::TickFileRow& r = it->second;
    actual.id = r.id;
    actual.part_reason = r.part_reason;
    was = DescribeTickFileRow(r);
    differs = r.file_path != actual.file_path || r.status != actual.status ||
              r.message_count != actual.message_count || r.file_size_bytes != actual.file_size_bytes ||
              (actual.checksum && r.checksum != actual.checksum);
    if (differs && tolerate_ahead && r.file_path == actual.file_path && r.status == actual.status &&
        r.message_count <= actual.message_count && r.file_size_bytes <= actual.file_size_bytes) {
      differs = false;  // a live writer's file runs ahead of its catalog row until the next flush
    }
  }
  if (!differs) return Status::Ok();
  Problem(actual.file_path, "catalog row disagrees with the file (catalog: " + was + "; file: " + DescribeTickFileRow(actual) + ")",
          "rewrite the catalog row from the file", "rewrote the catalog row from the file");
  if (o_.repair) {
    auto id = cat_.UpsertTickFile(actual);
    if (!id.ok()) return id.status();
    touched_days_.insert({actual.contract_id, actual.tick_type, FormatIsoDate(actual.hour_bucket)});
  }
  return Status::Ok();
}

Status Checker::CheckSealed(const FileKey& key, FoundFile& f, bool& sealed_ok) {
  sealed_ok = false;
  auto bytes = fs_.ReadFile(JoinPath(o_.root, f.sealed_rel));
  if (!bytes.ok()) return bytes.status();
  std::uint64_t size = bytes->size();
  auto contents = format::DecodeTickFile(std::move(bytes.value()), format::TickFileKind::kSealed, false);
  if (!contents.ok()) {
    if (!f.open_rel.empty()) {
      Problem(f.sealed_rel, "unreadable sealed file (" + contents.status().message() + ") beside its open file",
              "remove it; the open file is sealed again", "removed it; the open file will be sealed again");
      if (o_.repair) IBR_RETURN_IF_ERROR(fs_.Remove(JoinPath(o_.root, f.sealed_rel)));
    } else {
      Problem(f.sealed_rel, "unreadable sealed file: " + contents.status().message(),
              "move it to quarantine/ and drop its catalog row",
              "moved it to quarantine/ and dropped its catalog row");
      if (o_.repair) IBR_RETURN_IF_ERROR(Quarantine(f.sealed_rel));
      seen_.erase(key);  // its row goes, as for a missing file
    }
    f.sealed_rel.clear();
    return Status::Ok();
  }
  sealed_ok = true;
  if (contents->ticks.empty() && o_.report_empty && f.open_rel.empty()) return Empty(key, f.sealed_rel, size);
  CheckDuplicates(key, f.sealed_rel, contents->ticks);
  catalog::TickFileRow row = RowFor(key, f.sealed_rel, catalog::FileStatus::kSealed, "lz4", size, contents->ticks);
  // The content checksum is what the LZ4 frame carried and just verified.
  auto it = rows_.find(key);
  if (it != rows_.end() && it->second.checksum) row.checksum = it->second.checksum;
  if (!f.open_rel.empty()) {
    Problem(f.open_rel, "interrupted seal: the sealed file is complete but the open file was not removed",
            "remove the open file", "removed the open file");
    if (o_.repair) IBR_RETURN_IF_ERROR(fs_.Remove(JoinPath(o_.root, f.open_rel)));
  }
  return Reconcile(key, row, false);
}

catalog::TickFileRow Checker::RowFor(const FileKey& key, const std::string& rel, catalog::FileStatus status,
                                     const char* compression, std::uint64_t size, const std::vector<Tick>& ticks) {
  FileStats stats;
  for (const Tick& t : ticks) stats.Add(t);
  Account(stats);
  catalog::TickFileRow row;
  std::tie(row.contract_id, row.tick_type, row.hour_bucket, row.part) = key;
  row.file_path = rel;
  row.status = status;
  row.compression = compression;
  row.file_size_bytes = static_cast<std::int64_t>(size);
  stats.FillRow(row);
  return row;
}

std::string Checker::ExpectedOpenHeaderFrame(const FileKey& key) const {
  format::FileHeaderInfo h;
  std::tie(h.contract_id, h.tick_type, h.hour_bucket, std::ignore) = key;
  h.part = static_cast<std::uint32_t>(std::get<3>(key));
  h.start_time = h.end_time = h.hour_bucket;
  h.message_count = 0;
  h.compression = "none";
  h.instance_name = instance_name_;
  std::string frame;
  format::AppendFrame(frame, format::EncodeFileHeader(h));
  return frame;
}

Status Checker::CheckOpen(const FileKey& key, const FoundFile& f) {
  std::string abs = JoinPath(o_.root, f.open_rel);
  auto bytes = fs_.ReadFile(abs);
  if (!bytes.ok()) return bytes.status();
  std::string original = std::move(bytes).value();
  const std::uint64_t size = original.size();
  auto row_it = rows_.find(key);
  // What the catalog recorded as durable: recovery never cuts below it.
  const std::uint64_t durable =
      row_it == rows_.end() ? 0 : static_cast<std::uint64_t>(std::max<std::int64_t>(0, row_it->second.file_size_bytes));

  if (drop_unacknowledged_) {
    // The writer that stopped without closing its session took ticks only in
    // POST /v2/ingest batches, each answered once its catalog commit was made:
    // bytes past what the catalog records belong to a batch never
    // acknowledged (the client sends it again), so keeping them would store it twice.
    if (row_it == rows_.end()) {
      Problem(f.open_rel, "file of a batch that was never acknowledged (its writer stopped during it; not in the catalog)",
              "remove it", "removed it");
      IBR_RETURN_IF_ERROR(fs_.Remove(abs));
      seen_.erase(key);
      return Status::Ok();
    }
    if (size > durable) {
      Problem(f.open_rel,
              std::to_string(size - durable) + " bytes past the " + std::to_string(durable) +
                  " the catalog records belong to a batch that was never acknowledged (its writer stopped during it)",
              "cut the file at byte " + std::to_string(durable),
              "cut the file at byte " + std::to_string(durable) + " (dropped " + std::to_string(size - durable) +
                  " bytes; the client was not answered and sends the batch again)");
      IBR_RETURN_IF_ERROR(fs_.Truncate(abs, durable));
      report_.dropped_bytes += size - durable;
      original.resize(static_cast<std::size_t>(durable));
      return CheckOpenBytes(key, f, std::move(original), durable);
    }
  }
  return CheckOpenBytes(key, f, std::move(original), durable);
}

Status Checker::CheckOpenBytes(const FileKey& key, const FoundFile& f, std::string original,
                               std::uint64_t durable) {
  const std::string abs = JoinPath(o_.root, f.open_rel);
  const std::uint64_t size = original.size();
  // Every field of an open file's header is known (FORMAT.md): a header that
  // is not exactly what the writer writes is damage, even when it decodes.
  const std::string expected = ExpectedOpenHeaderFrame(key);
  std::uint64_t header_end = 0;  // end of the header frame as found (0: none)
  bool header_ok = false;
  {
    format::FrameReader frames(original);
    std::string_view body;
    if (frames.Next(&body) && format::DecodeFileHeader(body).ok()) header_end = frames.offset();
    header_ok = header_end != 0 && std::string_view(original).substr(0, header_end) == expected;
  }
  if (!header_ok && o_.writer_active && size < expected.size()) return Status::Ok();  // being created right now
  // The ticks start after the header, or, when it is damaged, at the first valid frame.
  std::uint64_t ticks_from = header_end;
  if (!header_ok) {
    auto first = format::FindNextTickFrame(original, header_end != 0 ? header_end : 1);
    if (header_end != 0) {
      // A decodable header whose frame ends exactly before a valid tick frame (or the end) is only wrong inside.
      if (!first || *first != header_end) {
        auto from_start = format::FindNextTickFrame(original, 1);
        if (from_start && (!first || *from_start < *first)) first = from_start;
      }
    }
    ticks_from = first ? *first : size;
  }
  // Decode the ticks behind the expected header (offsets shifted by `delta`).
  // A sound header: the bytes as they are (read again if repair needs them).
  std::string rebuilt;
  const bool moved = header_ok;
  if (header_ok) {
    rebuilt = std::move(original);
  } else {
    rebuilt = expected;
    rebuilt.append(original, static_cast<std::size_t>(std::min<std::uint64_t>(ticks_from, size)), std::string::npos);
  }
  const std::int64_t delta = static_cast<std::int64_t>(ticks_from) - static_cast<std::int64_t>(expected.size());
  auto contents = format::DecodeTickFile(std::move(rebuilt), format::TickFileKind::kOpen, false);
  if (!contents.ok()) return contents.status().WithContext("reading " + f.open_rel);
  auto at = [&](std::uint64_t rebuilt_offset) { return static_cast<std::uint64_t>(static_cast<std::int64_t>(rebuilt_offset) + delta); };

  std::uint64_t tail = size;  // where the unreadable tail starts (size: none)
  if (contents->damage) tail = at(contents->damage->valid_bytes);
  if (o_.writer_active) tail = size;  // a live writer's append in progress
  const bool cut_tail = tail < size;

  if (!header_ok && ticks_from >= size && contents->ticks.empty() && durable == 0 && !o_.writer_active) {
    // Nothing readable and nothing recorded: a file whose creation was interrupted.
    Problem(f.open_rel, "no readable file header and no ticks, " + std::to_string(size) + " bytes",
            "remove the file and its catalog row", "removed the file and its catalog row", ProblemKind::kEmptyFile);
    if (o_.repair) IBR_RETURN_IF_ERROR(fs_.Remove(abs));
    seen_.erase(key);
    return Status::Ok();
  }

  // The damaged pieces to take out, in file order: the header, frames between valid ones, the tail.
  struct Piece {
    std::uint64_t offset, length;
    std::string what;
    bool keep;  // quarantined (a torn tail past the durable size is only cut)
  };
  std::vector<Piece> pieces;
  if (!header_ok) {
    pieces.push_back({0, ticks_from, header_end == 0 ? "unreadable file header" : "damaged file header (it decodes, "
                                                                                   "but is not the header written for this file)",
                      true});
  }
  for (const auto& r : contents->skipped) {
    if (o_.writer_active && at(r.offset) >= durable) continue;  // past the catalog: may be a write in progress
    pieces.push_back({at(r.offset), r.length, r.what, true});
  }
  if (cut_tail) pieces.push_back({tail, size - tail, contents->damage->what, tail < durable});

  std::uint64_t new_size = size;
  if (!pieces.empty()) {
    const bool rewrite = pieces.size() > 1 || !cut_tail;  // anything but a lone tail: write the file again
    for (const auto& p : pieces) {
      const bool torn = cut_tail && p.offset == tail;
      std::string what = p.what + ": " + std::to_string(p.length) + " bytes at byte " + std::to_string(p.offset);
      if (torn) {
        what += p.keep ? " to the end, inside the " + std::to_string(durable) + " bytes the catalog records as durable"
                       : " to the end are not whole, valid ticks (a torn tail past the durable size)";
      } else {
        what += ", valid frames follow";
      }
      const std::string kept = "quarantine/" + f.open_rel + ".at-" + std::to_string(p.offset) + ".damaged";
      std::string repair = p.keep ? (torn ? "move them to " + kept + " and cut the file at byte " + std::to_string(p.offset)
                                          : "move them to " + kept + " and rewrite the file without them")
                                  : "cut the file at byte " + std::to_string(p.offset);
      std::string done = p.keep ? (torn ? "moved them to " + kept + " and cut the file at byte " + std::to_string(p.offset)
                                        : "moved them to " + kept + " and rewrote the file without them")
                                : "cut the file at byte " + std::to_string(p.offset) + " (dropped " +
                                      std::to_string(p.length) + " bytes)";
      Problem(f.open_rel, what, repair, done);
    }
    if (o_.repair && moved) {
      auto again = fs_.ReadFile(abs);
      if (!again.ok()) return again.status();
      original = std::move(again).value();
      if (original.size() != size) return Status::IoError(f.open_rel + " changed while it was being repaired");
    }
    if (o_.repair) {
      for (const auto& p : pieces) {
        if (!p.keep) continue;
        auto kept = QuarantineDamagedBytes(fs_, o_.root, f.open_rel, p.offset,
                                           std::string_view(original).substr(p.offset, p.length));
        if (!kept.ok()) return kept.status();
        report_.quarantined_bytes += p.length;
      }
      if (rewrite) {
        // The expected header, then every byte that is not in a damaged piece.
        std::string out = expected;
        std::uint64_t from = header_ok ? header_end : ticks_from;
        for (const auto& p : pieces) {
          if (p.offset > from) out.append(original, from, p.offset - from);
          from = std::max(from, p.offset + p.length);
        }
        if (from < size) out.append(original, from, std::string::npos);
        IBR_RETURN_IF_ERROR(fs_.WriteFileAtomic(abs, out));
        new_size = out.size();
      } else {
        IBR_RETURN_IF_ERROR(fs_.Truncate(abs, tail));
        new_size = tail;
      }
      for (const auto& p : pieces) {
        if (!p.keep) report_.dropped_bytes += p.length;
      }
    } else {
      new_size = size - (cut_tail ? size - tail : 0);
      for (const auto& p : pieces) {
        if (!(cut_tail && p.offset == tail)) new_size -= p.length;
      }
      if (!header_ok) new_size += expected.size();
    }
  } else if (contents->damage) {
    new_size = at(contents->damage->valid_bytes);  // beside a live writer: its row covers whole frames only
  } else if (contents->ticks.empty() && o_.report_empty && !o_.writer_active) {
    return Empty(key, f.open_rel, size);
  }
  CheckDuplicates(key, f.open_rel, contents->ticks);
  catalog::TickFileRow row = RowFor(key, f.open_rel, catalog::FileStatus::kOpen, "none", new_size, contents->ticks);
  if (row.message_count == 0) row.start_time = row.end_time = row.hour_bucket;
  return Reconcile(key, row, o_.writer_active);
}

void Checker::CheckDuplicates(const FileKey& key, const std::string& rel, const std::vector<Tick>& ticks) {
  const std::uint64_t copies = duplicates_.Count(key, ticks);
  if (copies == 0) return;
  report_.duplicate_ticks += copies;
  Problem(rel,
          std::to_string(copies) + " ticks are exact copies of ticks stored before them (same contract, tick type, "
                                   "timestamp, sequence and values: a batch stored twice)",
          "leave them (verify --repair never deletes acknowledged ticks; filter them when reading)",
          "left them (verify --repair never deletes acknowledged ticks; filter them when reading)");
}

Result<StoreCheckReport> Checker::Run() {
  instance_name_ = o_.instance_name;
  if (instance_name_.empty()) {
    auto inst = cat_.GetInstance();
    if (!inst.ok()) return inst.status();
    if (inst->has_value()) instance_name_ = (*inst)->instance_name;
  }
  if (o_.repair && !o_.writer_active) {
    // A `run --source http` session left active: its writer stopped without
    // closing it, and every tick it took came in an acknowledged-once-committed batch.
    auto active = cat_.ListSessions(catalog::SessionStatus::kActive);
    if (!active.ok()) return active.status();
    for (const auto& sess : *active) {
      if (sess.kind == catalog::SessionKind::kRun &&
          sess.config_snapshot.find("\"source\":\"http\"") != std::string::npos) {
        drop_unacknowledged_ = true;
      }
    }
  }
  auto rows = cat_.ListTickFiles();
  if (!rows.ok()) return rows.status();
  for (auto& r : *rows) rows_[{r.contract_id, r.tick_type, r.hour_bucket, r.part}] = r;

  auto tree = WalkTickFiles(fs_, o_.root);
  if (!tree.ok()) return tree.status();
  auto& [files, temps, strays] = *tree;
  for (const auto& t : temps) {
    if (o_.writer_active) continue;  // a live writer's seal in progress
    Problem(t, "leftover temporary file (an interrupted write)", "remove it", "removed it");
    if (o_.repair) IBR_RETURN_IF_ERROR(fs_.Remove(JoinPath(o_.root, t)));
  }
  for (const auto& s : strays) report_.notes.push_back(s + ": not a tick file name; left alone");

  std::unique_ptr<catalog::Transaction> txn;
  if (o_.repair) {
    txn = std::make_unique<catalog::Transaction>(cat_.db());
    IBR_RETURN_IF_ERROR(txn->status());
  }
  for (auto& [key, f] : files) {
    ++report_.files_checked;
    seen_.insert(key);
    bool sealed_ok = false;
    if (!f.sealed_rel.empty()) IBR_RETURN_IF_ERROR(CheckSealed(key, f, sealed_ok));
    if (!sealed_ok && !f.open_rel.empty()) {
      seen_.insert(key);
      IBR_RETURN_IF_ERROR(CheckOpen(key, f));
    }
  }
  for (const auto& [key, r] : rows_) {
    if (seen_.count(key)) continue;
    if (o_.writer_active && r.status == catalog::FileStatus::kOpen) {
      // Sealed between our catalog read and our directory walk? Look again.
      if (fs_.Exists(JoinPath(o_.root, TickFileRelPath(r.contract_id, r.tick_type, r.hour_bucket, r.part, true)))) continue;
    }
    Add(OrphanRowProblem(r, o_.repair));
    if (o_.repair) {
      IBR_RETURN_IF_ERROR(cat_.DeleteTickFile(r.contract_id, r.tick_type, r.hour_bucket, r.part));
      touched_days_.insert({r.contract_id, r.tick_type, FormatIsoDate(r.hour_bucket)});
    }
  }
  if (!o_.writer_active) IBR_RETURN_IF_ERROR(CloseStaleSessions(cat_, report_.last_tick_time, o_.repair, report_.problems));
  if (o_.repair) {
    for (const auto& [c, tt, day] : touched_days_) IBR_RETURN_IF_ERROR(cat_.RecomputeDailyStats(c, tt, day));
    IBR_RETURN_IF_ERROR(txn->Commit());
  }
  (void)clock_;
  return report_;
}

}  // namespace

const char* ProblemKindName(ProblemKind k) {
  switch (k) {
    case ProblemKind::kEmptyFile: return "empty_file";
    case ProblemKind::kOrphanFile: return "orphan_file";
    case ProblemKind::kOrphanRow: return "orphan_row";
    case ProblemKind::kInconsistency: break;
  }
  return "inconsistency";
}

Result<StoreCheckReport> CheckStore(const StoreCheckOptions& options, FileSystem& fs, catalog::Catalog& catalog,
                                    const Clock& clock) {
  Checker checker(options, fs, catalog, clock);
  return checker.Run();
}

bool WriterActive(const std::string& root) {
  std::ifstream in(LockPath(root));
  std::string word;
  long pid = 0;
  if (!(in >> word >> pid) || word != "pid" || pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return false;
  return ::access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0;
}

}  // namespace ibr::storage
