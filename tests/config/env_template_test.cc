// The shipped env files (packaging/config/*.env) are the generator's output,
// and each passes `config check` once its storage root is this user's.
#include "config/env_template.h"

#include <gtest/gtest.h>

#include "config_test_util.h"
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/env_file.h"
#include "common/file_system.h"
#include "config/config_check.h"

namespace ibr::config {
namespace {

struct Shipped {
  const char* env;
  TemplateVariant variant;
};
constexpr Shipped kShipped[] = {{"production", TemplateVariant::kStandard},
                                {"staging", TemplateVariant::kStandard},
                                {"development", TemplateVariant::kStandard},
                                {"development", TemplateVariant::kRecording},
                                {"development", TemplateVariant::kApiOnly}};

TEST(EnvTemplateTest, CheckedInFilesAreTheGeneratorsOutput) {
  for (const auto& k : kShipped) {
    const Environment& env = *FindEnvironment(k.env);
    const std::string path = std::string(IBR_SOURCE_DIR) + "/packaging/config/" + TemplateFileName(env, k.variant);
    EXPECT_EQ(ReadWholeFile(path), EnvFileTemplate(env, k.variant))
        << path << " differs from the registry: regenerate it with `ib-recorder config template --environment "
        << k.env << "`";
  }
}

TEST(EnvTemplateTest, SeedValuesPerEnvironment) {
  auto parsed = ParseEnvText(EnvFileTemplate(*FindEnvironment("staging"), TemplateVariant::kStandard), "t");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("IB_STREAM_ENVIRONMENT"), "staging");
  EXPECT_EQ(parsed->at("PORT"), "8201");
  EXPECT_EQ(parsed->at("IB_STREAM_RECORDER_PORT"), "8202");
  EXPECT_EQ(parsed->at("IB_STREAM_CLIENT_ID"), "22");
  EXPECT_EQ(parsed->at("IB_STREAM_STORAGE_PATH"), "/var/lib/ib-recorder/staging");
  EXPECT_EQ(parsed->at("IB_STREAM_TRACKED_CONTRACTS"), "711280073:MNQ:bid_ask;last:1");
  EXPECT_EQ(parsed->count("IB_SYNC_DSN"), 0u) << "the central DSN is commented out by default";
  auto api = ParseEnvText(EnvFileTemplate(*FindEnvironment("development"), TemplateVariant::kApiOnly), "t");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->at("IB_STREAM_ENABLE_STORAGE"), "false");
  EXPECT_EQ(api->at("IB_STREAM_TRACKED_CONTRACTS"), "");
  EXPECT_EQ(api->at("IB_STREAM_CLIENT_ID"), "12");
}

TEST(EnvTemplateTest, ShippedFilesPassConfigCheckWithTheirStorageRootsOwned) {
  char tmpl[] = "/tmp/ibr-envtpl-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  // The shipped files side by side, each storage root moved under `dir` (the real
  // /var/lib/ib-recorder/<env> is created by the package for its service user).
  for (const auto& k : kShipped) {
    const Environment& env = *FindEnvironment(k.env);
    std::string text = EnvFileTemplate(env, k.variant);
    const std::string root = env.storage_root();
    text.replace(text.find("IB_STREAM_STORAGE_PATH=" + root), std::string("IB_STREAM_STORAGE_PATH=").size() + root.size(),
                 "IB_STREAM_STORAGE_PATH=" + dir + "/" + env.name);
    std::filesystem::create_directories(dir + "/" + env.name);
    std::ofstream(dir + "/" + TemplateFileName(env, k.variant)) << text;
  }
  for (const auto& k : kShipped) {
    const std::string path = dir + "/" + TemplateFileName(*FindEnvironment(k.env), k.variant);
    for (Program p : {kRecorder, kSync}) {
      ConfigCheckOptions o;
      o.program = p;
      auto problems = CheckEnvFile(PosixFileSystem::Instance(), path, o);
      ASSERT_TRUE(problems.ok()) << problems.status().ToString();
      for (const auto& pr : *problems) ADD_FAILURE() << path << ": " << pr.message;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::config
