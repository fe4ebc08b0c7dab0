// DSN masking: passwords never show in anything ib-sync or federation prints.
#include "pg/dsn.h"

#include <gtest/gtest.h>

namespace ibr::pg {
namespace {

TEST(Dsn, PasswordsNeverShow) {
  EXPECT_EQ(MaskSecrets("host=db password=s3cret user=x"), "host=db password=***** user=x");
  EXPECT_EQ(MaskSecrets("host=db password = 'a b\\'c' user=x"), "host=db password = ***** user=x");
  EXPECT_EQ(MaskSecrets("postgresql://ib_sync:s3cret@db:5432/ib?sslmode=require&password=again"),
            "postgresql://ib_sync:*****@db:5432/ib?sslmode=require&password=*****");
  EXPECT_EQ(MaskSecrets("connect to host=db PASSWORD=x failed"), "connect to host=db PASSWORD=***** failed");
  EXPECT_EQ(MaskSecrets("postgresql://db/ib"), "postgresql://db/ib");
  EXPECT_EQ(DescribeDsn(""), "(PG* environment)");
}

}  // namespace
}  // namespace ibr::pg
