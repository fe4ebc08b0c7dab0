// sync-state.json with text that is not UTF-8 (issue 10 item 4): a libpq error
// message or an instance name with a 0xFF byte used to throw nlohmann
// type_error 316 in SyncStateToJson (std::terminate in ib-sync). Now it is
// written with U+FFFD and reads back.
#include "sync_state.h"

#include <gtest/gtest.h>

namespace ibr::sync {
namespace {

SyncState StateWithBadBytes() {
  SyncState s;
  s.instance_name = "host\xFF";
  s.state = "error";
  s.last_error = std::string("connection to server failed: \xC3\xFF");
  return s;
}

TEST(SyncStateTest, InvalidUtf8IsReplacedNotThrown) {
  auto back = SyncStateFromJson(SyncStateToJson(StateWithBadBytes()));  // an exception fails the test
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->instance_name, "host\xEF\xBF\xBD");
  ASSERT_TRUE(back->last_error);
  EXPECT_EQ(back->last_error->rfind("connection to server failed: \xEF\xBF\xBD", 0), 0u) << *back->last_error;
  EXPECT_EQ(back->state, "error");
}

}  // namespace
}  // namespace ibr::sync
