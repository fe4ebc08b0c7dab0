// `ingest` from a pipe spools its input through the store's FileSystem (issue 14: no raw
// ::open/::write past it): a full disk while spooling is a clear DiskFull error that names the
// spool and stores nothing; a good pipe is ingested whole and its spool removed afterwards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "common/time_text.h"
#include "storage/batch_ingest.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "storage_test_util.h"
#include "support/fault_injecting_file_system.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, T, StoreTest

std::string SpoolQuote(std::uint32_t cid, TimeUs ts) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"type":"tick","timestamp":"%s","data":{"contract_id":%u,"tick_type":"bid_ask",)"
                R"("bid_price":1.5,"bid_size":3.0,"ask_price":1.75,"ask_size":4.0}})",
                FormatIsoTimestamp(ts).c_str(), cid);
  return std::string(buf) + "\n";
}

// A pipe holding `bytes`, write end closed: read end returned (caller closes).
int PipeWith(const std::string& bytes) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  EXPECT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fds[1]);
  return fds[0];
}

class BatchIngestSpoolTest : public StoreTest {
 protected:
  BatchIngestSpoolTest() : StoreTest(T("2025-03-10T15:00:00Z")) {}
  std::string SpoolPath() const { return JoinPath(MetadataDir(dir_.path()), "ingest-spool.tmp"); }
};

TEST_F(BatchIngestSpoolTest, APipeIsSpooledThroughTheFileSystemAndIngestedWhole) {
  FaultInjectingFileSystem fs;
  auto store = OpenStore(Options(dir_.path()), fs);
  std::string input = "not json\n";
  for (int i = 0; i < 10; ++i) input += SpoolQuote(265598, T("2025-03-10T14:00:00Z") + i);
  const int fd = PipeWith(input);
  BatchIngestOptions o;
  o.seal = false;
  auto sum = IngestFromFd(*store, fd, o);
  ::close(fd);
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->accepted, 10);
  EXPECT_EQ(sum->rejected, 1);
  EXPECT_EQ(sum->lines, 11);
  EXPECT_FALSE(fs.Exists(SpoolPath()));
}

TEST_F(BatchIngestSpoolTest, ADiskFullWhileSpoolingNamesTheSpoolAndStoresNothing) {
  FaultInjectingFileSystem fs;
  auto store = OpenStore(Options(dir_.path()), fs);
  std::string input;
  for (int i = 0; i < 10; ++i) input += SpoolQuote(265598, T("2025-03-10T14:00:00Z") + i);
  const int fd = PipeWith(input);
  fs.FailWritesAfter(100);  // the spool cannot take the whole input
  auto sum = IngestFromFd(*store, fd, BatchIngestOptions{});
  ::close(fd);
  fs.StopFailingWrites();
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), StatusCode::kDiskFull);
  EXPECT_NE(sum.status().message().find("ingest-spool.tmp"), std::string::npos) << sum.status().ToString();
  EXPECT_FALSE(fs.Exists(SpoolPath()));
  auto rows = store->catalog().ListTickFiles();
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

}  // namespace
}  // namespace ibr::storage
