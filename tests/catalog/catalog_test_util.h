// Shared fixtures for the catalog tests: a fresh temp directory per test, a
// simulated clock, helpers to open catalogs and to read single SQL values.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "common/time_text.h"

namespace ibr::catalog::testing {

inline TimeUs T(const char* iso) {
  auto t = ParseIsoTimestamp(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-catalog-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/metadata/catalog.sqlite";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<Catalog> OpenRw() { return OpenOk(Catalog::Mode::kReadWrite); }
  std::unique_ptr<Catalog> OpenRo() { return OpenOk(Catalog::Mode::kReadOnly); }
  std::unique_ptr<Catalog> OpenOk(Catalog::Mode mode) {
    auto c = Catalog::Open(path_, mode, clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  // The single integer an SQL query gives (-1 on error or no row).
  static std::int64_t QueryInt(Catalog& cat, const std::string& sql) {
    auto st = cat.db().Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok() || !st->Step()) return -1;
    return st->Int(0);
  }
  static std::string QueryText(Catalog& cat, const std::string& sql) {
    auto st = cat.db().Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok() || !st->Step()) return "<none>";
    return st->IsNull(0) ? "<null>" : st->Text(0);
  }

  // An instance and a session, which most other rows refer to.
  std::int64_t MakeSession(Catalog& cat) {
    InstanceRow inst;
    inst.instance_name = "production-host1";
    inst.server_version = "0.1.0";
    inst.host = "host1";
    inst.storage_path = dir_;
    inst.environment = "production";
    auto iid = cat.UpsertInstance(inst);
    EXPECT_TRUE(iid.ok()) << iid.status().ToString();
    SessionRow s;
    s.server_instance_id = iid.ok() ? *iid : 0;
    s.session_start = T("2025-03-10T13:00:00Z");
    auto sid = cat.InsertSession(s);
    EXPECT_TRUE(sid.ok()) << sid.status().ToString();
    return sid.ok() ? *sid : 0;
  }

  std::string dir_, path_;
  ManualClock clock_{T("2025-03-10T14:00:00Z")};
};

}  // namespace ibr::catalog::testing
