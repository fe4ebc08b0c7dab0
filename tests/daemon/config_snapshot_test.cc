// RecorderConfig::SnapshotJson with outside text that is not UTF-8 (issue 10
// item 4): a symbol, a storage path or an instance name with a 0xFF byte used
// to throw nlohmann type_error 316 (std::terminate at start-up). The snapshot
// is valid JSON with U+FFFD for each bad byte. (Refusing such values at the
// config edge is the config validation's job; the snapshot must never throw.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon/recorder_config.h"

namespace ibr::daemon {
namespace {

TEST(ConfigSnapshotTest, InvalidUtf8IsReplacedNotThrown) {
  RecorderConfig c;
  c.storage_path = "/srv/ticks\xFF";
  c.instance_name = "host\xC3";
  c.upstream_url = "http://127.0.0.1:8001/\xFE";
  c.env_file = "/etc/ib\xFF.env";
  c.tracked.push_back(TrackedContract{265598, "AAPL\xFF", {TickType::kBidAsk}, 1});
  std::string text;
  ASSERT_NO_THROW(text = c.SnapshotJson());
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["storage_path"], "/srv/ticks\xEF\xBF\xBD");
  EXPECT_EQ(j["instance_name"], "host\xEF\xBF\xBD");
  EXPECT_EQ(j["tracked_contracts"][0]["symbol"], "AAPL\xEF\xBF\xBD");
  EXPECT_EQ(j["tracked_contracts"][0]["contract_id"], 265598);
}

}  // namespace
}  // namespace ibr::daemon
