// JsonReply: JSON answers and errors ({"error": "..."}) for the HTTP
// handlers, and the HTTP status of an ibr::Status. Never throws: text that is
// not valid UTF-8 (quoted user input) is replaced, not rejected. Any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/tick.h"

namespace ibr::http {

// Objects keep the order their members were added in (contract_id first, ...).
using Json = nlohmann::ordered_json;

// j.dump() without throwing on invalid UTF-8.
std::string JsonText(const Json& j, int indent = -1);
// An object's members without the braces ("" for {}), to splice into a streamed object.
std::string JsonMembers(const Json& object);
// ["bid_ask","last"]
Json TickTypesJson(const std::vector<TickType>& types);
void ReplyJson(httplib::Response& res, int http_status, const Json& body);
// {"error": message}
void ReplyError(httplib::Response& res, int http_status, std::string_view message);
// InvalidArgument 400, NotFound 404, DiskFull/Unavailable/Busy 503, others 500.
int HttpStatusOf(const Status& s);
void ReplyStatus(httplib::Response& res, const Status& s);

}  // namespace ibr::http
