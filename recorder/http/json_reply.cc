// JsonReply: serialisation and status mapping.
#include "http/json_reply.h"

namespace ibr::http {

std::string JsonText(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string JsonMembers(const Json& object) {
  std::string text = JsonText(object);
  if (text.size() < 2) return "";
  return text.substr(1, text.size() - 2);
}

Json TickTypesJson(const std::vector<TickType>& types) {
  Json a = Json::array();
  for (TickType t : types) a.push_back(std::string(TickTypeName(t)));
  return a;
}

void ReplyJson(httplib::Response& res, int http_status, const Json& body) {
  res.status = http_status;
  res.set_content(JsonText(body) + "\n", "application/json");
}

void ReplyError(httplib::Response& res, int http_status, std::string_view message) {
  ReplyJson(res, http_status, Json{{"error", std::string(message)}});
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kDiskFull:
    case StatusCode::kUnavailable:
    case StatusCode::kBusy: return 503;
    default: return 500;
  }
}

void ReplyStatus(httplib::Response& res, const Status& s) { ReplyError(res, HttpStatusOf(s), s.message()); }

}  // namespace ibr::http
