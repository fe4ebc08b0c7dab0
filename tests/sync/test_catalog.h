// Test support: a storage root with a real catalog (made by catalog::Catalog,
// so migrations and the generation id are the recorder's), filled with rows
// by plain SQL so tests can state any history: sessions, contracts, files,
// outages, migrations, deletions. Times are ISO text in UTC.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "common/clock.h"

namespace ibr::sync::testing {

struct InstanceSpec {
  std::string name;
  std::string host = "collector1";
  int port = 8002;
  std::string environment = "production";
};

class TestCatalog {
 public:
  // Creates {root}/metadata/catalog.sqlite (removing an old one) with its instance row.
  static std::unique_ptr<TestCatalog> Create(const std::string& root, const InstanceSpec& instance);

  const std::string& root() const { return root_; }
  std::string catalog_path() const;
  const std::string& generation() const { return generation_; }
  catalog::SqliteDb& db() { return catalog_->db(); }

  void Exec(const std::string& sql);  // fails the test on error
  std::int64_t MaxChangeNo();
  std::map<std::string, std::int64_t> Counts();  // per replicated table

  std::int64_t AddSession(const std::string& start, const std::optional<std::string>& end,
                          const std::string& status, const std::string& kind = "run",
                          const std::string& reason = "");
  void AddSessionContract(std::int64_t session, std::int64_t contract_id, const std::string& symbol,
                          const std::string& tick_types_json = "[\"bid_ask\",\"last\"]");
  std::int64_t AddOutage(std::int64_t session, std::int64_t contract_id, const std::optional<std::string>& tick_type,
                         const std::string& start, const std::optional<std::string>& end,
                         const std::string& cause = "disconnect");
  void AddContract(std::int64_t contract_id, const std::string& symbol, const std::string& first_seen,
                   const std::string& last_seen);
  // One sealed file per hour in [first_hour, first_hour + hours) for each tick type,
  // with daily stats; `messages` ticks per file; first/last tick kept inside [from, to]
  // (the session) when given. One transaction.
  void AddHourlyFiles(std::int64_t contract_id, const std::string& first_hour, int hours,
                      const std::vector<std::string>& tick_types, std::int64_t messages = 60000,
                      const std::optional<std::string>& from = std::nullopt,
                      const std::optional<std::string>& to = std::nullopt);
  // `n` files of distinct hours starting at 2024-01-01 (bulk: benchmarks, fault tests).
  void AddManyFiles(std::int64_t contract_id, int n);
  std::int64_t AddMigration(const std::string& type, const std::string& status, const std::string& source,
                            const std::string& target, const std::string& start,
                            const std::optional<std::string>& end, const std::string& validation_json);

 private:
  TestCatalog(std::string root, std::unique_ptr<catalog::Catalog> c)
      : root_(std::move(root)), catalog_(std::move(c)), generation_(catalog_->generation_id()) {}
  std::string root_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::string generation_;
};

// A fresh empty directory under the test temp dir (removed by the OS / CI).
std::string TempDir(const std::string& tag);

// Fails the test (and returns from the calling helper) when s is not ok.
inline void Ok(const Status& s) { ASSERT_TRUE(s.ok()) << s.ToString(); }

}  // namespace ibr::sync::testing
