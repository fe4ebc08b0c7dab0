// StorageRequired: 503 naming the missing root (passthrough).
#include "http/storage_required.h"

#include "http/json_reply.h"

namespace ibr::http {

bool StorageMissing(const ApiContext& ctx, httplib::Response& res) {
  if (ctx.config().mode != daemon::RecorderMode::kPassthrough || ctx.fs.Exists(ctx.root())) return false;
  ReplyJson(res, 503,
            Json{{"error", "passthrough mode: the storage root " + ctx.root() +
                               " does not exist, so there is no stored history to serve; live streams are relayed "
                               "from " + ctx.config().upstream_url +
                               ". Set IB_STREAM_STORAGE_PATH to an existing root to serve its history"},
                 {"reason", "no_storage"},
                 {"storage_path", ctx.root()},
                 {"mode", "passthrough"}});
  return true;
}

}  // namespace ibr::http
