// StoreSettings: the storage options every writer command shares, read from
// the process environment (IB_STREAM_STORAGE_PATH, IB_STREAM_ENVIRONMENT,
// IB_STREAM_INSTANCE_NAME, IB_STREAM_MAX_FILE_SIZE_MB,
// IB_STREAM_SEAL_GRACE_SECONDS, IB_STREAM_LZ4_LEVEL, IB_STREAM_WORKERS) and overridden by flags.
// A bad value is an error naming the variable, the value and what is expected.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/retention.h"
#include "storage/store.h"

namespace ibr::cli {

// `storage_flag` / `instance_flag`: from the command line ("" when not given).
Result<storage::StoreOptions> StoreOptionsFromEnv(const std::string& storage_flag, const std::string& instance_flag,
                                                  const std::string& purpose);

// IB_STREAM_RETENTION_DAYS, IB_STREAM_RETENTION_DAYS_<TICK TYPE> (unset: the
// former) and IB_STREAM_ARCHIVE_PATH, checked against the registry.
Result<storage::RetentionPolicy> RetentionPolicyFromEnv();

// The storage root from --storage or IB_STREAM_STORAGE_PATH (InvalidArgument when neither).
Result<std::string> StorageRoot(const std::string& storage_flag);

}  // namespace ibr::cli
