// Issue 10 item 6: a batch of many tiny invalid lines. Every line is counted
// by reason in the answer, but the quarantine keeps a bounded number of them
// (per batch, and per day file); what was not kept is counted in the answer
// and the status (/metrics). The batch is decoded as it is stored, so it
// costs its body's bytes, not an item per line.
#include <filesystem>

#include "daemon_test_util.h"

namespace ibr::testing {
namespace {



std::uintmax_t RejectsBytes(const std::string& root) {
  std::uintmax_t n = 0;
  const std::filesystem::path dir = std::filesystem::path(root) / "rejects";
  if (!std::filesystem::exists(dir)) return 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.file_size();
  return n;
}

class WriterServiceQuarantineTest : public WriterServiceFixture {};

TEST_F(WriterServiceQuarantineTest, ManyTinyInvalidLinesAreAllCountedButOnlyABoundedNumberKept) {
  StartService();
  constexpr int kLines = 200'000;
  std::string body;
  body.reserve(kLines * 3 + 200);
  for (int i = 0; i < kLines; ++i) body += "{}\n";
  body += QuoteLine(kAapl, clock_.Now(), 101.5) + "\n";
  auto ack = service_->IngestBatch(body);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->accepted, 1);
  EXPECT_EQ(ack->rejected, kLines);
  std::int64_t by_reason = 0;
  for (const auto& [reason, n] : ack->reasons) by_reason += n;
  EXPECT_EQ(by_reason, kLines);
  const storage::RejectLogLimits limits;
  EXPECT_EQ(ack->rejects_not_kept, kLines - static_cast<std::int64_t>(limits.keep_per_batch));
  ASSERT_TRUE(service_->Barrier().ok());
  const std::uintmax_t kept = RejectsBytes(Config().storage_path);
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, limits.keep_per_batch * 200) << "the quarantine is not bounded per batch";

  // A second batch keeps its own first lines; the status counts every line not kept.
  ack = service_->IngestBatch("{}\n{}\n");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->rejected, 2);
  EXPECT_EQ(ack->rejects_not_kept, 0);
  AdvanceAndSync(kUsPerSecond);
  const auto st = service_->Status();
  EXPECT_EQ(st.rejects, static_cast<std::uint64_t>(kLines + 2));
  EXPECT_EQ(st.rejects_not_kept, static_cast<std::uint64_t>(kLines) - limits.keep_per_batch);
}

}  // namespace
}  // namespace ibr::testing
