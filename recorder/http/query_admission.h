// QueryAdmission: lets a historical or buffer read query run only while it
// holds a place in the ApiContext's QueryGate; answers 503 with Retry-After
// and a JSON reason when no place came free in time. Called on HTTP workers.
#pragma once

#include <memory>

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// The held place (keep it alive until the answer has been produced, e.g. by
// capturing it in the chunked body's producer), or nullptr after answering 503.
std::shared_ptr<QueryGate::Slot> AdmitQuery(const ApiContext& ctx, httplib::Response& res);

}  // namespace ibr::http
