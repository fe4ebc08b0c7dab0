// RecorderConfig: port blocks, precedence (flags > process env > env file >
// defaults), tracked contracts, every validation error, the snapshot.
#include "daemon/recorder_config.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "config/config_text.h"
#include "storage/storage_test_util.h"

namespace ibr::daemon {
namespace {

using Env = std::map<std::string, std::string>;

RecorderConfig Resolve(const Env& env, const RecorderFlags& flags = {}) {
  auto c = ResolveRecorderConfig(flags, env);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : RecorderConfig{};
}

std::string Error(const Env& env, const RecorderFlags& flags = {}) {
  auto c = ResolveRecorderConfig(flags, env);
  EXPECT_FALSE(c.ok());
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  return c.status().message();
}

std::string WriteFile(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(RecorderConfigTest, ProductionDefaults) {
  RecorderConfig c = Resolve({});
  EXPECT_EQ(c.environment, "production");
  EXPECT_EQ(c.upstream_port, 8001);
  EXPECT_EQ(c.recorder_port, 8002);
  EXPECT_EQ(c.client_id, 2);
  EXPECT_EQ(c.upstream_url, "http://127.0.0.1:8001");
  EXPECT_EQ(c.storage_path, "/var/lib/ib-recorder/production");
  EXPECT_EQ(c.instance_name, storage::DefaultInstanceName("production"));
  EXPECT_EQ(c.bind, "127.0.0.1");
  EXPECT_EQ(c.source, "sse");
  EXPECT_EQ(c.max_tracked, 10);
  EXPECT_TRUE(c.tracked.empty());
  EXPECT_EQ(c.fsync_interval, kUsPerSecond);
  EXPECT_EQ(c.min_free_bytes, 1024ull << 20);
  EXPECT_EQ(c.stale_after, 300 * kUsPerSecond);
  EXPECT_EQ(c.reconnect_delay, 2 * kUsPerSecond);
  EXPECT_EQ(c.max_concurrent_queries, 2);
  EXPECT_FALSE(c.read_only);
}

TEST(RecorderConfigTest, MaxConcurrentQueriesIsReadAndInTheSnapshot) {
  RecorderConfig c = Resolve({{"IB_STREAM_MAX_CONCURRENT_QUERIES", "5"}});
  EXPECT_EQ(c.max_concurrent_queries, 5);
  EXPECT_NE(c.SnapshotJson().find("\"max_concurrent_queries\":5"), std::string::npos) << c.SnapshotJson();
}

TEST(RecorderConfigTest, RetentionSettingsAreReadPerTickTypeAndInTheSnapshot) {
  RecorderConfig none = Resolve({});
  EXPECT_FALSE(none.retention.Any()) << "default: keep forever";
  RecorderConfig c = Resolve({{"IB_STREAM_RETENTION_DAYS", "30"},
                              {"IB_STREAM_RETENTION_DAYS_LAST", "7"},
                              {"IB_STREAM_ARCHIVE_PATH", "/srv/archive"}});
  EXPECT_EQ(c.retention.days.at(TickType::kBidAsk), 30);
  EXPECT_EQ(c.retention.days.at(TickType::kMidPoint), 30);
  EXPECT_EQ(c.retention.days.at(TickType::kLast), 7);
  EXPECT_EQ(c.retention.archive_root, "/srv/archive");
  auto j = nlohmann::json::parse(c.SnapshotJson());
  EXPECT_EQ(j["retention_days"]["last"], 7);
  EXPECT_EQ(j["archive_path"], "/srv/archive");
  const std::string e = Error({{"IB_STREAM_RETENTION_DAYS_BID_ASK", "-3"}});
  EXPECT_NE(e.find("IB_STREAM_RETENTION_DAYS_BID_ASK"), std::string::npos) << e;
  EXPECT_NE(e.find("-3"), std::string::npos) << e;
}

TEST(RecorderConfigTest, EnvironmentPicksThePortBlockAndClientIds) {
  struct Case {
    const char* env;
    int upstream, recorder, client;
  } cases[] = {{"production", 8001, 8002, 2}, {"development", 8101, 8102, 12}, {"staging", 8201, 8202, 22}};
  for (const auto& k : cases) {
    RecorderConfig c = Resolve({{"IB_STREAM_ENVIRONMENT", k.env}});
    EXPECT_EQ(c.upstream_port, k.upstream) << k.env;
    EXPECT_EQ(c.recorder_port, k.recorder) << k.env;
    EXPECT_EQ(c.client_id, k.client) << k.env;
    EXPECT_EQ(c.upstream_url, "http://127.0.0.1:" + std::to_string(k.upstream)) << k.env;
    EXPECT_EQ(c.storage_path, std::string("/var/lib/ib-recorder/") + k.env);
  }
}

TEST(RecorderConfigTest, PortIsTheUpstreamPortAndMovesTheDefaultUrl) {
  RecorderConfig c = Resolve({{"PORT", "9001"}});
  EXPECT_EQ(c.upstream_port, 9001);
  EXPECT_EQ(c.upstream_url, "http://127.0.0.1:9001");
  EXPECT_EQ(c.recorder_port, 8002);  // the recorder's own port stays base + 2
}

TEST(RecorderConfigTest, FlagsBeatProcessEnvironmentBeatsEnvFileBeatsDefaults) {
  testing::TempDir dir;
  std::string file = WriteFile(dir, "dev.env",
                               "# development\n"
                               "export IB_STREAM_ENVIRONMENT=development\n"
                               "IB_STREAM_STORAGE_PATH=/srv/from-file\n"
                               "IB_STREAM_RECORDER_PORT=9100\n"
                               "IB_STREAM_SOURCE=sim\n"
                               "IB_STREAM_UPSTREAM_URL=http://file:1\n"
                               "IB_STREAM_CLIENT_ID=99\n"
                               "IB_STREAM_MIN_FREE_MB=5\n");
  RecorderFlags flags;
  flags.env_file = file;
  // File only.
  RecorderConfig c = Resolve({}, flags);
  EXPECT_EQ(c.environment, "development");
  EXPECT_EQ(c.storage_path, "/srv/from-file");
  EXPECT_EQ(c.recorder_port, 9100);
  EXPECT_EQ(c.source, "sim");
  EXPECT_EQ(c.upstream_url, "http://file:1");
  EXPECT_EQ(c.client_id, 99);
  EXPECT_EQ(c.upstream_port, 8101);  // development default, the file has no PORT
  EXPECT_EQ(c.env_file, file);
  // The process environment wins over the file.
  Env env = {{"IB_STREAM_STORAGE_PATH", "/srv/from-env"},
             {"IB_STREAM_RECORDER_PORT", "9200"},
             {"IB_STREAM_SOURCE", "http"},
             {"IB_STREAM_MIN_FREE_MB", ""}};  // empty: not set, the file's value stays
  c = Resolve(env, flags);
  EXPECT_EQ(c.storage_path, "/srv/from-env");
  EXPECT_EQ(c.recorder_port, 9200);
  EXPECT_EQ(c.source, "http");
  EXPECT_EQ(c.min_free_bytes, 5ull << 20);
  EXPECT_EQ(c.client_id, 99);
  // Flags win over both.
  flags.storage = "/srv/from-flag";
  flags.port = 9300;
  flags.source = "sse";
  flags.upstream = "http://flag:2/";
  flags.bind = "localhost";
  c = Resolve(env, flags);
  EXPECT_EQ(c.storage_path, "/srv/from-flag");
  EXPECT_EQ(c.recorder_port, 9300);
  EXPECT_EQ(c.source, "sse");
  EXPECT_EQ(c.upstream_url, "http://flag:2");  // trailing '/' dropped
  EXPECT_EQ(c.bind, "localhost");
}

TEST(RecorderConfigTest, RelativeStoragePathBecomesAbsolute) {
  RecorderConfig c = Resolve({{"IB_STREAM_STORAGE_PATH", "storage-dev/"}});
  ASSERT_FALSE(c.storage_path.empty());
  EXPECT_EQ(c.storage_path.front(), '/');
  EXPECT_TRUE(c.storage_path.ends_with("/storage-dev")) << c.storage_path;
}

TEST(RecorderConfigTest, EmptyTrackedContractsInTheEnvironmentTurnsOffTheFilesList) {
  testing::TempDir dir;
  RecorderFlags flags;
  flags.env_file = WriteFile(dir, "p.env", "IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ:bid_ask;last:1\n");
  EXPECT_EQ(Resolve({}, flags).tracked.size(), 1u);
  // Seed 003's passthrough mode: export IB_STREAM_TRACKED_CONTRACTS="".
  EXPECT_TRUE(Resolve({{"IB_STREAM_TRACKED_CONTRACTS", ""}}, flags).tracked.empty());
}

TEST(RecorderConfigTest, TrackedContractsFullShape) {
  auto t = ParseTrackedContracts("711280073:MNQ:bid_ask;last:24, 265598:AAPL:bid_ask:1,42:XYZ,7:ES::3");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[0].contract_id, 711280073u);
  EXPECT_EQ((*t)[0].symbol, "MNQ");
  EXPECT_EQ((*t)[0].tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));
  EXPECT_EQ((*t)[0].buffer_hours, 24);
  EXPECT_EQ((*t)[1].contract_id, 265598u);
  EXPECT_EQ((*t)[1].tick_types, (std::vector<TickType>{TickType::kBidAsk}));
  EXPECT_EQ((*t)[1].buffer_hours, 1);
  EXPECT_EQ((*t)[2].tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));  // default
  EXPECT_EQ((*t)[2].buffer_hours, 1);
  EXPECT_EQ((*t)[3].tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));
  EXPECT_EQ((*t)[3].buffer_hours, 3);
  auto all = ParseTrackedContracts("1:A:all_last;mid_point;last;bid_ask");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].tick_types.size(), 4u);
  EXPECT_TRUE(ParseTrackedContracts("  ")->empty());
}

TEST(RecorderConfigTest, TrackedContractsErrorsNameTheItem) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"0:MNQ", "a contract id from 1 to 4294967295"},
      {"4294967296:MNQ", "a contract id"},
      {"abc:MNQ", "a contract id"},
      {"711280073", "2 to 4 ':'-separated fields"},
      {"1:A:bid_ask:1:extra", "2 to 4"},
      {"1:", "a symbol"},
      {"1:A:Last", "tick types from bid_ask"},
      {"1:A:bid_ask,last", "2 to 4"},  // ',' separates contracts; tick types use ';'
      {"1:A:bid_ask:0", "buffer hours from 1 to 720"},
      {"1:A:bid_ask:x", "buffer hours"},
      {"1:A,1:B", "each contract once"},
      {"1:A,,2:B", "an empty item"},
  };
  for (const auto& k : cases) {
    auto t = ParseTrackedContracts(k.text);
    ASSERT_FALSE(t.ok()) << k.text;
    EXPECT_NE(t.status().message().find(k.expect), std::string::npos) << k.text << " -> " << t.status().message();
    EXPECT_TRUE(t.status().message().starts_with("IB_STREAM_TRACKED_CONTRACTS='" + std::string(k.text) + "'"))
        << t.status().message();
  }
}

TEST(RecorderConfigTest, MaxTrackedRefusesMore) {
  Env env = {{"IB_STREAM_TRACKED_CONTRACTS", "1:A,2:B,3:C"}, {"IB_STREAM_MAX_TRACKED", "2"}};
  std::string e = Error(env);
  EXPECT_NE(e.find("lists 3 contracts, more than IB_STREAM_MAX_TRACKED=2"), std::string::npos) << e;
  env["IB_STREAM_MAX_TRACKED"] = "3";
  EXPECT_EQ(Resolve(env).tracked.size(), 3u);
}

TEST(RecorderConfigTest, EveryBadValueNamesVariableValueAndExpectation) {
  struct Case {
    const char* var;
    const char* value;
    const char* expected;
  } cases[] = {
      {"IB_STREAM_ENVIRONMENT", "prod", "production, development or staging"},
      {"PORT", "0", "a whole number from 1 to 65535"},
      {"PORT", "80a", "a whole number"},
      {"IB_STREAM_RECORDER_PORT", "70000", "from 1 to 65535"},
      {"IB_STREAM_CLIENT_ID", "-1", "from 0 to 2147483647"},
      {"IB_STREAM_MAX_TRACKED", "0", "from 1 to 1000"},
      {"IB_STREAM_SOURCE", "tws", "sse, sim or http"},
      {"IB_STREAM_UPSTREAM_URL", "127.0.0.1:8001", "an http:// or https:// URL"},
      {"IB_STREAM_UPSTREAM_URL", "http://", "an http:// or https:// URL"},
      {"IB_STREAM_RECORDER_BIND", "a b", "an IP address or host name"},
      {"IB_STREAM_INSTANCE_NAME", "bad name!", "1 to 100 letters"},
      {"IB_STREAM_RECONNECT_DELAY", "soon", "seconds (e.g. 2 or 0.5) or a duration"},
      {"IB_STREAM_RECONNECT_DELAY", "0", "from 0.1 s to 1h"},
      {"IB_STREAM_RECONNECT_DELAY", "2h", "from 0.1 s to 1h"},
      {"IB_STREAM_FSYNC_INTERVAL_MS", "0", "from 1 to 60000"},
      {"IB_STREAM_MIN_FREE_MB", "-5", "a whole number"},
      {"IB_STREAM_STALE_SECONDS", "0", "from 1 to 604800"},
      {"IB_STREAM_MAX_FILE_SIZE_MB", "0", "from 1 to"},
      {"IB_STREAM_SEAL_GRACE_SECONDS", "x", "a whole number"},
      {"IB_STREAM_LZ4_LEVEL", "13", "from 0 to 12"},
      {"IB_STREAM_MAX_CONCURRENT_QUERIES", "0", "from 1 to 256"},
      {"IB_STREAM_MAX_CONCURRENT_QUERIES", "lots", "a whole number"},
      {"IB_STREAM_SIM_RATE", "0", "more than 0 and at most 1000000"},
      {"IB_STREAM_SIM_RATE", "nan", "ticks per second"},
      {"IB_STREAM_ENABLE_STORAGE", "maybe", "true or false"},
  };
  for (const auto& k : cases) {
    std::string e = Error({{k.var, k.value}});
    std::string head = std::string(k.var) + "='" + k.value + "' is not valid: expected ";
    EXPECT_TRUE(e.starts_with(head)) << k.var << ": " << e;
    EXPECT_NE(e.find(k.expected), std::string::npos) << k.var << ": " << e;
  }
}

TEST(RecorderConfigTest, BadFlagsNameTheFlag) {
  RecorderFlags f;
  f.source = "kafka";
  EXPECT_TRUE(Error({}, f).starts_with("--source='kafka' is not valid")) << Error({}, f);
  f = {};
  f.upstream = "ftp://x";
  EXPECT_TRUE(Error({}, f).starts_with("--upstream='ftp://x' is not valid"));
  f = {};
  f.port = 0;
  EXPECT_TRUE(Error({}, f).starts_with("--port='0' is not valid"));
}

TEST(RecorderConfigTest, ReconnectDelayTakesSecondsOrADuration) {
  EXPECT_EQ(Resolve({{"IB_STREAM_RECONNECT_DELAY", "5"}}).reconnect_delay, 5 * kUsPerSecond);
  EXPECT_EQ(Resolve({{"IB_STREAM_RECONNECT_DELAY", "0.5"}}).reconnect_delay, kUsPerSecond / 2);
  EXPECT_EQ(Resolve({{"IB_STREAM_RECONNECT_DELAY", "1m30s"}}).reconnect_delay, 90 * kUsPerSecond);
}

TEST(RecorderConfigTest, NonLoopbackBindNeedsAnApiKey) {
  std::string e = Error({{"IB_STREAM_RECORDER_BIND", "0.0.0.0"}});
  EXPECT_NE(e.find("is not a loopback address: set IB_STREAM_API_KEY"), std::string::npos) << e;
  RecorderFlags f;
  f.bind = "10.0.0.5";
  EXPECT_TRUE(Error({}, f).starts_with("--bind='10.0.0.5'"));
  RecorderConfig c = Resolve({{"IB_STREAM_RECORDER_BIND", "0.0.0.0"}, {"IB_STREAM_API_KEY", "s3cret-key-123"}});
  EXPECT_EQ(c.bind, "0.0.0.0");
  EXPECT_EQ(c.api_key, "s3cret-key-123");
  for (const char* lo : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) EXPECT_TRUE(IsLoopbackAddress(lo)) << lo;
  for (const char* far : {"0.0.0.0", "10.0.0.1", "::", "127.invalid"}) EXPECT_FALSE(IsLoopbackAddress(far)) << far;
}

// A resolver that knows a few names (no DNS: the tests need no traffic beyond loopback).
class NamesResolver final : public config::HostResolver {
 public:
  Result<std::vector<std::string>> Resolve(const std::string& host) const override {
    if (host == "127.evil.test") return std::vector<std::string>{"192.0.2.10"};  // as an /etc/hosts entry would
    if (host == "recorder.lo.test") return std::vector<std::string>{"127.0.0.1", "::1"};
    return config::SystemHostResolver().Resolve(host);
  }
};

TEST(RecorderConfigTest, ABindNameIsResolvedNotReadAsText) {
  // Regression (issue 10 item 1): "127.evil.test" starts with "127." but names an external address.
  NamesResolver names;
  RecorderFlags f;
  f.bind = "127.evil.test";
  auto c = ResolveRecorderConfig(f, {}, names);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(c.status().message().starts_with(
      "--bind='127.evil.test' is not a loopback address (it resolves to 192.0.2.10): set IB_STREAM_API_KEY"))
      << c.status().message();
  EXPECT_FALSE(IsLoopbackAddress("127.evil.test", names));
  // With a key the name may be served (every endpoint but /health then needs it).
  auto keyed = ResolveRecorderConfig(f, {{"IB_STREAM_API_KEY", "k3y-that-is-long"}}, names);
  EXPECT_TRUE(keyed.ok()) << keyed.status().ToString();
  // A name that resolves to loopback only is loopback.
  f.bind = "recorder.lo.test";
  EXPECT_TRUE(ResolveRecorderConfig(f, {}, names).ok());
}

TEST(RecorderConfigTest, ABindNameThatDoesNotResolveIsAStartUpError) {
  RecorderFlags f;
  f.bind = "127.invalid";
  std::string e = Error({{"IB_STREAM_API_KEY", "k3y-that-is-long"}}, f);
  EXPECT_TRUE(e.starts_with("--bind='127.invalid' is not valid: '127.invalid' does not resolve")) << e;
}

TEST(RecorderConfigTest, SymbolsMustBeUtf8WithoutControlCharacters) {
  // Regression (issue 10 items 4 and 14): such a symbol used to be accepted, then abort the
  // recorder in the snapshot's JSON (0xFF) or reach the catalog (a newline).
  for (const char* bad : {"711280073:MN\nQ", "711280073:MNQ\xFF", "1:A,2:B\tC", "1:\x01X"}) {
    std::string text = bad;
    std::string e = Error({{"IB_STREAM_TRACKED_CONTRACTS", text}});
    EXPECT_TRUE(e.starts_with("IB_STREAM_TRACKED_CONTRACTS='")) << e;
    EXPECT_NE(e.find("a symbol of at most 64 characters, in UTF-8, without control characters"), std::string::npos) << e;
    EXPECT_NE(e.find("in item '"), std::string::npos) << e;
    EXPECT_TRUE(config::IsPlainText(e)) << e;  // the message itself is safe to print and to put in JSON
  }
  // The same through an env file.
  testing::TempDir dir;
  std::string path = WriteFile(dir, "bad.env", "IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ\xFF:bid_ask\n");
  RecorderFlags f;
  f.env_file = path;
  std::string e = Error({}, f);
  EXPECT_TRUE(e.starts_with("IB_STREAM_TRACKED_CONTRACTS='711280073:MNQ\\xFF:bid_ask'")) << e;
  // UTF-8 symbols are fine.
  EXPECT_EQ(Resolve({{"IB_STREAM_TRACKED_CONTRACTS", "1:\xC3\x89TOILE"}}).tracked.at(0).symbol, "\xC3\x89TOILE");
}

TEST(RecorderConfigTest, StoragePathAndInstanceNameMustBeUtf8WithoutControls) {
  std::string e = Error({{"IB_STREAM_STORAGE_PATH", "/tmp/store\xFF"}});
  EXPECT_TRUE(e.starts_with("IB_STREAM_STORAGE_PATH='/tmp/store\\xFF' is not valid: it is not valid UTF-8")) << e;
  RecorderFlags f;
  f.storage = "/tmp/a\nb";
  e = Error({}, f);
  EXPECT_TRUE(e.starts_with("--storage='/tmp/a\\nb' is not valid: it holds a control character")) << e;
  e = Error({{"IB_STREAM_INSTANCE_NAME", "prod\xFF"}});
  EXPECT_EQ(e, "IB_STREAM_INSTANCE_NAME='prod\\xFF' is not valid: expected 1 to 100 letters, digits, '-', '_' or '.'");
}

TEST(RecorderConfigTest, ApiKeyNeverAppearsInErrorsOrTheSnapshot) {
  const std::string key = "top secret";  // has a space: invalid
  std::string e = Error({{"IB_STREAM_API_KEY", key}});
  EXPECT_EQ(e.find("top secret"), std::string::npos) << e;
  EXPECT_NE(e.find("IB_STREAM_API_KEY is not valid (value not shown)"), std::string::npos) << e;
  EXPECT_NE(Error({{"IB_STREAM_API_KEY", "short"}}).find("at least 8 characters"), std::string::npos);

  RecorderConfig c = Resolve({{"IB_STREAM_API_KEY", "k3y-that-is-long"}, {"IB_STREAM_TRACKED_CONTRACTS", "1:A"}});
  std::string snap = c.SnapshotJson();
  EXPECT_EQ(snap.find("k3y-that-is-long"), std::string::npos) << snap;
  auto j = nlohmann::json::parse(snap);
  EXPECT_EQ(j["api_key_set"], true);
  EXPECT_EQ(j["environment"], "production");
  EXPECT_EQ(j["recorder_port"], 8002);
  EXPECT_EQ(j["upstream_url"], "http://127.0.0.1:8001");
  EXPECT_EQ(j["tracked_contracts"][0]["contract_id"], 1);
  EXPECT_EQ(j["tracked_contracts"][0]["tick_types"], nlohmann::json::array({"bid_ask", "last"}));
  EXPECT_FALSE(j.contains("api_key"));
}

TEST(RecorderConfigTest, EnableStorageFalseMeansReadOnly) {
  EXPECT_TRUE(Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}}).read_only);
  EXPECT_FALSE(Resolve({{"IB_STREAM_ENABLE_STORAGE", "true"}}).read_only);
  RecorderFlags f;
  f.read_only = true;
  EXPECT_TRUE(Resolve({{"IB_STREAM_ENABLE_STORAGE", "true"}}, f).read_only);
}

TEST(RecorderConfigTest, ModesFromEnableStorageUpstreamAndIbStreamMode) {
  EXPECT_EQ(Resolve({}).mode, RecorderMode::kRecording);
  // ENABLE_STORAGE=false: read-only without an upstream set, passthrough with one (sse source).
  EXPECT_EQ(Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}}).mode, RecorderMode::kReadOnly);
  RecorderConfig pt = Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}, {"IB_STREAM_UPSTREAM_URL", "http://127.0.0.1:8001"}});
  EXPECT_EQ(pt.mode, RecorderMode::kPassthrough);
  EXPECT_TRUE(pt.read_only);
  RecorderFlags up;
  up.upstream = "http://127.0.0.1:9001";
  EXPECT_EQ(Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}}, up).mode, RecorderMode::kPassthrough);
  EXPECT_EQ(Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}, {"IB_STREAM_UPSTREAM_URL", "http://h:1"}, {"IB_STREAM_SOURCE", "sim"}}).mode,
            RecorderMode::kReadOnly);
  // --read-only wins over everything.
  RecorderFlags ro = up;
  ro.read_only = true;
  EXPECT_EQ(Resolve({{"IB_STREAM_ENABLE_STORAGE", "false"}}, ro).mode, RecorderMode::kReadOnly);
  EXPECT_EQ(Resolve({{"IB_STREAM_MODE", "passthrough"}}, ro).mode, RecorderMode::kReadOnly);
  // IB_STREAM_MODE explicitly.
  EXPECT_EQ(Resolve({{"IB_STREAM_MODE", "passthrough"}}).mode, RecorderMode::kPassthrough);
  EXPECT_EQ(Resolve({{"IB_STREAM_MODE", "read-only"}}).mode, RecorderMode::kReadOnly);
  EXPECT_EQ(Resolve({{"IB_STREAM_MODE", "recording"}, {"IB_STREAM_ENABLE_STORAGE", "true"}}).mode, RecorderMode::kRecording);
  EXPECT_NE(Error({{"IB_STREAM_MODE", "mirror"}}).find("IB_STREAM_MODE"), std::string::npos);
  std::string e = Error({{"IB_STREAM_MODE", "recording"}, {"IB_STREAM_ENABLE_STORAGE", "false"}});
  EXPECT_NE(e.find("contradicts IB_STREAM_ENABLE_STORAGE='false'"), std::string::npos) << e;
  e = Error({{"IB_STREAM_MODE", "passthrough"}, {"IB_STREAM_SOURCE", "http"}});
  EXPECT_NE(e.find("IB_STREAM_SOURCE='http'"), std::string::npos) << e;
  EXPECT_EQ(nlohmann::json::parse(pt.SnapshotJson())["mode"], "passthrough");
}

TEST(RecorderConfigTest, IsolatedNeedsItsOwnRootAndNamesItsInstance) {
  std::string e = Error({{"IB_STREAM_MODE", "isolated"}, {"IB_STREAM_ENVIRONMENT", "development"}});
  EXPECT_NE(e.find("needs its own storage root"), std::string::npos) << e;
  EXPECT_NE(e.find("/var/lib/ib-recorder/development"), std::string::npos) << e;
  RecorderConfig c = Resolve({{"IB_STREAM_MODE", "isolated"},
                              {"IB_STREAM_ENVIRONMENT", "development"},
                              {"IB_STREAM_STORAGE_PATH", "/tmp/storage-feature xyz"}});
  EXPECT_EQ(c.mode, RecorderMode::kIsolated);
  EXPECT_FALSE(c.read_only);
  EXPECT_EQ(c.instance_name, "development-storage-feature_xyz-" + storage::HostName());
  EXPECT_EQ(Resolve({{"IB_STREAM_MODE", "isolated"}, {"IB_STREAM_STORAGE_PATH", "/tmp/f"}, {"IB_STREAM_INSTANCE_NAME", "feat-1"}})
                .instance_name,
            "feat-1");
  e = Error({{"IB_STREAM_MODE", "isolated"},
             {"IB_STREAM_STORAGE_PATH", "/tmp/f"},
             {"IB_STREAM_INSTANCE_NAME", storage::DefaultInstanceName("production")}});
  EXPECT_NE(e.find("needs an instance name of its own"), std::string::npos) << e;
}

TEST(RecorderConfigTest, EnvFileProblems) {
  testing::TempDir dir;
  RecorderFlags f;
  f.env_file = dir.path() + "/missing.env";
  std::string e = Error({}, f);
  EXPECT_NE(e.find("missing.env"), std::string::npos) << e;

  f.env_file = WriteFile(dir, "bad.env", "PORT=8001\nIB_STREAM_API_KEY hunter2hunter2\n");
  e = Error({}, f);
  EXPECT_NE(e.find("bad.env line 2"), std::string::npos) << e;
  EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;  // never the value

  f.env_file = WriteFile(dir, "typo.env", "IB_STREAM_TRACKED_CONTRACT=1:A\nOTHER=1\n");
  RecorderConfig c = Resolve({}, f);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("IB_STREAM_TRACKED_CONTRACT,"), std::string::npos) << c.warnings[0];
}

TEST(RecorderConfigTest, SeedEnvFilesResolve) {
  // Seed 003's config/staging.env, verbatim.
  testing::TempDir dir;
  RecorderFlags f;
  f.env_file = WriteFile(dir, "staging.env",
                         "# Staging Environment Configuration\n"
                         "PORT=8201\n"
                         "IB_STREAM_CLIENT_ID=22\n"
                         "IB_STREAM_STORAGE_PATH=storage-staging\n"
                         "IB_STREAM_ENABLE_STORAGE=true\n"
                         "IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ:bid_ask;last:1\n");
  RecorderConfig c = Resolve({{"IB_STREAM_ENVIRONMENT", "staging"}}, f);
  EXPECT_EQ(c.upstream_port, 8201);
  EXPECT_EQ(c.recorder_port, 8202);
  EXPECT_EQ(c.client_id, 22);
  EXPECT_TRUE(c.storage_path.ends_with("/storage-staging"));
  ASSERT_EQ(c.tracked.size(), 1u);
  EXPECT_EQ(c.tracked[0].tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));
  EXPECT_TRUE(c.warnings.empty());
}

TEST(RecorderConfigTest, ProcessEnvironmentReadsEnviron) {
  ::setenv("IBR_CONFIG_TEST_VAR", "a=b", 1);
  auto env = ProcessEnvironment();
  EXPECT_EQ(env["IBR_CONFIG_TEST_VAR"], "a=b");
  ::unsetenv("IBR_CONFIG_TEST_VAR");
}

}  // namespace
}  // namespace ibr::daemon
