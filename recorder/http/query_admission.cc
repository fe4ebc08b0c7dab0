// QueryAdmission: gate slot or 503.
#include "http/query_admission.h"

#include <string>

#include "http/json_reply.h"

namespace ibr::http {

std::shared_ptr<QueryGate::Slot> AdmitQuery(const ApiContext& ctx, httplib::Response& res) {
  auto slot = ctx.queries.Acquire();
  if (slot) return std::make_shared<QueryGate::Slot>(std::move(*slot));
  res.set_header("Retry-After", "1");
  ReplyError(res, 503,
             "too many queries at once: " + std::to_string(ctx.queries.max()) + " run at a time and " +
                 std::to_string(ctx.queries.waiting()) + " others are waiting; this one waited " +
                 std::to_string(ctx.queries.max_wait().count()) +
                 " ms without a place. Retry later, or raise IB_STREAM_MAX_CONCURRENT_QUERIES");
  return nullptr;
}

}  // namespace ibr::http
