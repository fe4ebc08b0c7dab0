// Bind addresses: the loopback rule on resolved addresses (a stub resolver:
// no traffic beyond loopback), and the system resolver on names that need no
// DNS (numeric addresses, localhost from /etc/hosts, the reserved .invalid).
#include "config/host_resolver.h"

#include <gtest/gtest.h>

#include <map>

namespace ibr::config {
namespace {

class StubResolver final : public HostResolver {
 public:
  explicit StubResolver(std::map<std::string, std::vector<std::string>> names) : names_(std::move(names)) {}
  Result<std::vector<std::string>> Resolve(const std::string& host) const override {
    auto it = names_.find(host);
    if (it == names_.end()) return Status::NotFound("'" + host + "' does not resolve");
    return it->second;
  }

 private:
  std::map<std::string, std::vector<std::string>> names_;
};

TEST(HostResolverTest, LoopbackIps) {
  for (const char* lo : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackIp(lo)) << lo;
  }
  for (const char* far : {"0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "::ffff:10.0.0.1", "fe80::1", "127.evil.test",
                          "localhost", ""}) {
    EXPECT_FALSE(IsLoopbackIp(far)) << far;
  }
}

TEST(HostResolverTest, ANameThatResolvesOffLoopbackIsRefusedWithoutAKey) {
  StubResolver r({{"127.evil.test", {"192.0.2.10"}}, {"mixed.test", {"127.0.0.1", "2001:db8::1"}},
                  {"lo.test", {"127.0.0.1", "::1"}}});
  bool loopback = true;
  Status s = CheckBindAddress("--bind", "127.evil.test", false, r, &loopback);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "--bind='127.evil.test' is not a loopback address (it resolves to 192.0.2.10): set IB_STREAM_API_KEY "
            "(every endpoint but /health then needs the X-API-Key header) or bind to 127.0.0.1");
  EXPECT_FALSE(loopback);
  EXPECT_FALSE(CheckBindAddress("--bind", "mixed.test", false, r).ok());  // every address must be loopback
  EXPECT_TRUE(CheckBindAddress("--bind", "lo.test", false, r, &loopback).ok());
  EXPECT_TRUE(loopback);
  EXPECT_TRUE(CheckBindAddress("--bind", "127.evil.test", true, r, &loopback).ok());  // with a key: allowed
  EXPECT_FALSE(loopback);
  s = CheckBindAddress("IB_STREAM_RECORDER_BIND", "nowhere.test", true, r);  // a key does not make it resolve
  EXPECT_TRUE(s.message().starts_with("IB_STREAM_RECORDER_BIND='nowhere.test' is not valid: ")) << s.message();
}

TEST(HostResolverTest, SystemResolverNumericLocalhostAndInvalid) {
  const HostResolver& sys = SystemHostResolver();
  auto v4 = sys.Resolve("127.0.0.1");
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(*v4, std::vector<std::string>{"127.0.0.1"});
  auto v6 = sys.Resolve("[::1]");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(*v6, std::vector<std::string>{"::1"});
  auto lo = sys.Resolve("localhost");
  ASSERT_TRUE(lo.ok()) << lo.status().ToString();
  for (const auto& a : *lo) EXPECT_TRUE(IsLoopbackIp(a)) << a;
  for (const char* bad : {"127.invalid", "x.INVALID.", "invalid"}) {
    auto r = sys.Resolve(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << bad;
  }
  Status s = CheckBindAddress("--bind", "127.invalid", false, sys);
  EXPECT_TRUE(s.message().starts_with("--bind='127.invalid' is not valid: '127.invalid' does not resolve")) << s.message();
  EXPECT_FALSE(CheckBindAddress("--bind", "0.0.0.0", false, sys).ok());
  EXPECT_TRUE(CheckBindAddress("--bind", "0.0.0.0", true, sys).ok());
}

}  // namespace
}  // namespace ibr::config
