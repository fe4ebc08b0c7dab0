// LegacyImport: hash the tree (refuse a known one) -> read every record into
// validated ticks, dropping twins -> drop ticks the store already holds ->
// hand the rest to the batch ingest as one import session -> record the tree.
#include "legacy/legacy_import.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "common/time_text.h"
#include "ingest/line_reader.h"
#include "ingest/v2_decoder.h"
#include "legacy/import_quarantine.h"
#include "legacy/import_spool.h"
#include "legacy/json_record_reader.h"
#include "legacy/layout_sniffer.h"
#include "legacy/legacy_tree.h"
#include "legacy/skip_reason.h"
#include "legacy/tick_identity.h"
#include "legacy/v2_protobuf_reader.h"
#include "legacy/v3_protobuf_reader.h"
#include "query/query_engine.h"
#include "query/tick_json.h"
#include "storage/batch_ingest.h"
#include "storage/layout.h"

namespace ibr::legacy {
namespace {

constexpr TimeUs kUsPerHourLegacy = 3600 * kUsPerSecond;

std::string Hex128(XXH128_hash_t h) {
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

// XXH3-128 over each file's relative path, size and bytes, in import order.
std::string TreeHash(FileSystem& fs, const LegacyTree& tree) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_128bits_reset(st);
  for (const LegacyFile& f : tree.files) {
    XXH3_128bits_update(st, f.rel.data(), f.rel.size() + 1);  // with its NUL: names cannot run together
    auto content = fs.ReadFile(f.path);
    const std::string bytes = content.ok() ? std::move(*content) : "\x01unreadable";
    const std::uint64_t size = bytes.size();
    XXH3_128bits_update(st, &size, sizeof size);
    XXH3_128bits_update(st, bytes.data(), bytes.size());
  }
  const std::string hex = Hex128(XXH3_128bits_digest(st));
  XXH3_freeState(st);
  return "legacy-tree:" + hex;
}

// Collects the identities of stored ticks (the query engine's sink).
class IdentitySink final : public query::TickSink {
 public:
  explicit IdentitySink(TickIdentitySet& out) : out_(out) {}
  Status OnTick(const Tick& tick, std::string_view) override {
    out_.insert(IdentityOf(tick));
    return Status::Ok();
  }

 private:
  TickIdentitySet& out_;
};

class Importer {
 public:
  Importer(storage::Store& store, const ImportOptions& o)
      : store_(store),
        o_(o),
        quarantine_(store.options().root, store.fs(), store.clock(), o.from),
        now_(store.clock().Now()) {}

  Result<ImportReport> Run(const LegacyTree& tree, const std::string& tree_hash);

 private:
  void OnRecord(const LegacyFile& file, const LegacyRecord& rec);
  void Skip(const LegacyFile& file, const LegacyRecord& rec, const std::string& reason, std::string_view detail,
            bool quarantine);
  Status LoadStoredIdentities(TickIdentitySet& stored);
  Status DropStored(const TickIdentitySet& stored, ImportSpool& out);
  void Keep(const Tick& tick, ImportSpool& out);

  storage::Store& store_;
  const ImportOptions& o_;
  ImportQuarantine quarantine_;
  TimeUs now_;
  ImportReport rep_;
  ingest::V2Decoder decoder_;
  ingest::DecodeResult res_;
  query::TickJsonWriter json_;
  std::string line_;
  TickIdentitySet seen_;
  std::map<std::uint32_t, std::set<TimeUs>> hours_;  // contract -> hour starts of the kept ticks
  ImportSpool candidates_;
  std::int64_t kept_ = 0;
};

void Importer::Skip(const LegacyFile& file, const LegacyRecord& rec, const std::string& reason,
                    std::string_view detail, bool quarantine) {
  ++rep_.skipped[reason];
  if (quarantine) quarantine_.Add(file.rel, rec.index, reason, detail, rec.input, rec.binary);
}

void Importer::Keep(const Tick& tick, ImportSpool& out) {
  line_.clear();
  json_.Append(line_, tick);
  line_ += '\n';
  out.Append(line_);
}

void Importer::OnRecord(const LegacyFile& file, const LegacyRecord& rec) {
  ++rep_.read;
  if (rec.skipped) return Skip(file, rec, rec.reason, rec.detail, true);
  decoder_.Decode(rec.line, now_, false, res_);
  switch (res_.kind) {
    case ingest::DecodeResult::Kind::kTick: {
      if (!seen_.insert(IdentityOf(res_.tick)).second) {
        ++rep_.duplicates;
        return;
      }
      Keep(res_.tick, candidates_);
      ++kept_;
      const TimeUs t = res_.tick.timestamp_us;
      hours_[res_.tick.contract_id].insert(t - ((t % kUsPerHourLegacy) + kUsPerHourLegacy) % kUsPerHourLegacy);
      return;
    }
    case ingest::DecodeResult::Kind::kLifecycle:
      return Skip(file, rec, "lifecycle_" + res_.lifecycle.type, {}, false);
    case ingest::DecodeResult::Kind::kHeartbeat:
      return Skip(file, rec, "heartbeat", {}, false);
    case ingest::DecodeResult::Kind::kReject:
      return Skip(file, rec, SkipReasonFor(res_, rec.line), res_.detail, true);
  }
}

Status Importer::LoadStoredIdentities(TickIdentitySet& stored) {
  query::QueryEngine engine(store_.fs(), store_.options().root, store_.catalog());
  IdentitySink sink(stored);
  for (const auto& [cid, hours] : hours_) {
    query::TickQuery q;
    q.contract_id = cid;
    q.tick_types = {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};
    for (TimeUs h : hours) {
      if (!q.ranges.empty() && q.ranges.back().end == h) {
        q.ranges.back().end = h + kUsPerHourLegacy;
      } else {
        q.ranges.push_back({h, h + kUsPerHourLegacy});
      }
    }
    auto r = engine.Run(q, sink);
    if (!r.ok()) {
      return r.status().WithContext("reading the ticks already stored for contract " + std::to_string(cid) +
                                    " (to skip them)");
    }
  }
  return Status::Ok();
}

Status Importer::DropStored(const TickIdentitySet& stored, ImportSpool& out) {
  IBR_RETURN_IF_ERROR(candidates_.Rewind());
  ingest::LineReader reader(candidates_.fd());
  ingest::Line line;
  while (reader.Next(&line)) {
    decoder_.Decode(line.text, now_, true, res_);
    if (res_.kind != ingest::DecodeResult::Kind::kTick) {
      return Status::Corruption("import scratch line " + std::to_string(line.number) +
                                " does not decode again: " + res_.detail);
    }
    if (stored.count(IdentityOf(res_.tick))) {
      ++rep_.duplicates;
      ++rep_.already_stored;
      continue;
    }
    Keep(res_.tick, out);
  }
  return reader.status();
}

Result<ImportReport> Importer::Run(const LegacyTree& tree, const std::string& tree_hash) {
  rep_.tree_hash = tree_hash;
  rep_.ignored_files = tree.ignored;
  const std::string scratch_dir = storage::MetadataDir(store_.options().root);
  IBR_RETURN_IF_ERROR(candidates_.Open(scratch_dir, "import-spool-1.tmp"));

  // 1. Every record of every file -> validated, first-seen ticks in the scratch file.
  for (const LegacyFile& f : tree.files) {
    auto content = store_.fs().ReadFile(f.path);
    if (!content.ok()) {
      rep_.unreadable_files.push_back(f.rel + ": " + content.status().message());
      continue;
    }
    const LegacyLayout layout = SniffLayout(*content, f.layout);
    ++rep_.files[std::string(LegacyLayoutName(layout))];
    const RecordFn on = [&](const LegacyRecord& r) { OnRecord(f, r); };
    switch (layout) {
      case LegacyLayout::kV2Json:
      case LegacyLayout::kV3Json: ReadLegacyJsonFile(*content, on); break;
      case LegacyLayout::kV2Protobuf: ReadV2ProtobufFile(*content, on); break;
      case LegacyLayout::kV3Protobuf: ReadV3ProtobufFile(*content, on); break;
    }
  }
  seen_.clear();
  const bool any_v2 = rep_.files.count("v2_json") || rep_.files.count("v2_protobuf");
  const bool any_v3 = rep_.files.count("v3_json") || rep_.files.count("v3_protobuf");
  if (any_v2 && any_v3) {
    rep_.notes.push_back(
        "the tree holds both v2 and v3 files: where ib-stream wrote the same tick in both (MultiStorageV3), the "
        "copies carry different receipt times and are not recognised as one tick; import v2/ or v3/ alone if "
        "only one of them should be kept (recorder/legacy/LEGACY_FORMATS.md)");
  }
  IBR_RETURN_IF_ERROR(quarantine_.Flush());
  rep_.quarantine_path = quarantine_.path();

  // 2. Ticks the store already has (an earlier import of part of this tree) are duplicates.
  TickIdentitySet stored;
  if (kept_ > 0) IBR_RETURN_IF_ERROR(LoadStoredIdentities(stored));
  ImportSpool fresh;
  ImportSpool* to_ingest = &candidates_;
  if (!stored.empty()) {
    IBR_RETURN_IF_ERROR(fresh.Open(scratch_dir, "import-spool-2.tmp"));
    IBR_RETURN_IF_ERROR(DropStored(stored, fresh));
    to_ingest = &fresh;
  }
  IBR_RETURN_IF_ERROR(to_ingest->Rewind());

  // 3. The storage engine's batch ingest: validation, partitions, one import session, sealing.
  storage::BatchIngestOptions bo;
  bo.source_name = o_.from;
  bo.force = true;  // refusal is by the tree's hash (above), not by this scratch file's
  bo.seal = o_.seal;
  bo.session_kind = "import";
  auto sum = storage::IngestFromFd(store_, to_ingest->fd(), bo);
  if (!sum.ok()) return sum.status();
  rep_.imported = sum->accepted;
  for (const auto& [reason, n] : sum->reasons) rep_.skipped[reason] += n;
  rep_.session_id = sum->session_id;
  rep_.tick_files = sum->files;
  rep_.sealed = sum->seal.sealed;
  rep_.seal_errors = sum->seal.errors;
  rep_.store_error = sum->store_error;
  if (sum->accepted > 0) {
    auto session = store_.catalog().GetSession(sum->session_id);
    if (session.ok() && session->has_value()) {
      rep_.first_tick = (*session)->session_start;
      rep_.last_tick = (*session)->session_end.value_or((*session)->session_start);
    }
  }
  if (!rep_.store_error.empty()) return rep_;

  // 4. The tree itself, so the same tree is refused next time.
  catalog::IngestedSourceRow src;
  src.content_hash = tree_hash;
  src.source_name = o_.from;
  src.source_kind = "import";
  src.lines = rep_.read;
  src.accepted = rep_.imported;
  for (const auto& [reason, n] : rep_.skipped) src.rejected += n;
  src.collection_session_id = rep_.session_id;
  src.ingested_at = store_.clock().Now();
  auto row = store_.catalog().InsertIngestedSource(src);
  if (!row.ok()) return row.status();
  return rep_;
}

}  // namespace

Result<ImportReport> ImportLegacyTree(storage::Store& store, const ImportOptions& options) {
  auto tree = ListLegacyTree(store.fs(), options.from);
  if (!tree.ok()) return tree.status();
  const std::string hash = TreeHash(store.fs(), *tree);
  if (!options.force) {
    auto seen = store.catalog().FindIngestedSource(hash);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) {
      const auto& s = **seen;
      return Status::AlreadyExists("this ib-stream tree (content hash " + hash + ") was already imported from '" +
                                   s.source_name + "' at " + FormatIsoTimestamp(s.ingested_at) + " (" +
                                   std::to_string(s.accepted) +
                                   " ticks); use --force to read it again (ticks already stored are still "
                                   "recognised and not stored twice)");
    }
  }
  Importer importer(store, options);
  return importer.Run(*tree, hash);
}

}  // namespace ibr::legacy
