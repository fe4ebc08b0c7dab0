// JsonEnvelope: head, streamed messages, count, tail.
#include "http/json_envelope.h"

#include "query/value_text.h"

namespace ibr::http {

Status JsonEnvelope::Begin() {
  std::string& b = out_.bytes();
  b.push_back('{');
  if (!head_.empty()) {
    b.append(head_);
    b.push_back(',');
  }
  b.append(R"("messages":[)");
  return out_.MaybeFlush();
}

Status JsonEnvelope::OnTick(const Tick& tick, std::string_view) {
  std::string& b = out_.bytes();
  if (count_ != 0) b.push_back(',');
  json_.Append(b, tick);
  ++count_;
  return out_.MaybeFlush();
}

Status JsonEnvelope::Finish() {
  std::string& b = out_.bytes();
  b.append(R"(],"count":)");
  query::AppendUint(b, count_);
  if (tail_) {
    std::string tail = tail_(count_);
    if (!tail.empty()) {
      b.push_back(',');
      b.append(tail);
    }
  }
  b.append("}\n");
  return out_.Flush();
}

}  // namespace ibr::http
