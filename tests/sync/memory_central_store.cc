#include "memory_central_store.h"

#include <algorithm>

namespace ibr::sync::testing {

namespace {

// Rows keyed by local ids are kept per catalog generation (as in schema/postgres/0002).
std::string Scope(const TableSpec& t, const std::string& generation) {
  return t.KeyedByLocalIds() ? generation + "\x1e" : "";
}

std::string KeyOf(const TableSpec& t, const std::string& generation, const Row& row) {
  std::string k = Scope(t, generation);
  for (const auto& col : t.natural_key) k += row[t.ColumnIndex(col)].value_or("∅") + "\x1f";
  return k;
}

std::string KeyOf(const TableSpec& t, const std::string& generation, const Tombstone& stone) {
  std::string k = Scope(t, generation);
  for (const auto& v : stone.key) k += v.value_or("∅") + "\x1f";
  return k;
}

// The key of the session `local_id` of `generation` in the collection_sessions map.
std::string SessionKey(const std::string& generation, const std::string& local_id) {
  return generation + "\x1e" + local_id + "\x1f";
}

}  // namespace

Result<SyncPosition> MemoryCentralStore::LoadPosition(const std::string& instance_name) {
  if (unavailable_calls > 0) {
    --unavailable_calls;
    return Status::Unavailable("memory store: unreachable (test)");
  }
  auto it = instances_.find(instance_name);
  return it == instances_.end() ? SyncPosition{} : it->second.position;
}

Result<SyncPosition> MemoryCentralStore::ApplyBatch(const Batch& b) {
  ++apply_calls;
  if (unavailable_calls > 0) {
    --unavailable_calls;
    return Status::Unavailable("memory store: unreachable (test)");
  }
  Instance inst = instances_[b.instance_name];  // a copy: all or nothing
  if (!(inst.position == b.expected)) return Status::Busy("memory store: position moved");
  inst.tables["server_instances"][b.instance_name] = {b.instance, 0};
  const std::int64_t pass = b.starts_pass ? inst.position.pass_no + 1 : std::max<std::int64_t>(inst.position.pass_no, 1);
  bool pending = b.starts_pass || inst.position.resend_pending;
  auto& sessions = inst.tables["collection_sessions"];

  for (const auto& t : b.tombstones) {
    const std::string key = KeyOf(*t.table, b.generation, t);
    inst.tables[t.table->name].erase(key);
    if (t.table->name == "collection_sessions") {  // ON DELETE CASCADE
      for (const auto& spec : ReplicatedTables()) {
        if (spec.session_column.empty()) continue;
        const int col = spec.ColumnIndex(spec.session_column);
        std::erase_if(inst.tables[spec.name], [&](const auto& kv) {
          return kv.first.starts_with(Scope(spec, b.generation)) && kv.second.row[col] &&
                 SessionKey(b.generation, *kv.second.row[col]) == key;
        });
      }
    }
  }
  for (const auto& tr : b.tables) {
    const int col = tr.table->session_column.empty() ? -1 : tr.table->ColumnIndex(tr.table->session_column);
    for (const Row& row : tr.rows) {
      if (col >= 0 && row[col] && !sessions.count(SessionKey(b.generation, *row[col]))) {
        return Status::Internal("memory store: " + tr.table->name + " row refers to unknown session " + *row[col]);
      }
      inst.tables[tr.table->name][KeyOf(*tr.table, b.generation, row)] = {row, pass};
    }
  }
  if (b.reaches_end && pending) {
    for (auto& [name, rows] : inst.tables) {
      if (name == "server_instances") continue;
      const std::string scope = Scope(*FindTable(name), b.generation);  // other generations: history
      std::erase_if(rows, [&](const auto& kv) { return kv.second.pass < pass && kv.first.starts_with(scope); });
    }
    pending = false;
  }
  inst.position = SyncPosition{b.generation, b.to_change_no, pass, pending};
  instances_[b.instance_name] = inst;
  return inst.position;
}

Result<std::map<std::string, std::int64_t>> MemoryCentralStore::CountRows(const std::string& instance_name) {
  std::map<std::string, std::int64_t> counts;
  counts[InstanceTable().name] = 0;
  for (const auto& t : ReplicatedTables()) counts[t.name] = 0;
  auto it = instances_.find(instance_name);
  if (it == instances_.end()) return counts;
  for (const auto& [name, rows] : it->second.tables) {
    const std::string scope = Scope(*FindTable(name), it->second.position.generation);
    counts[name] = std::count_if(rows.begin(), rows.end(), [&](const auto& kv) { return kv.first.starts_with(scope); });
  }
  return counts;
}

}  // namespace ibr::sync::testing
