// StorageRequired: the guard of the endpoints that read the storage root (historical, buffer,
// with-buffer). In passthrough mode the root is optional: when it does not exist they answer
// 503 with a JSON reason naming it, instead of an empty answer. Any worker thread.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// True (and `res` holds the 503) when the root these endpoints read is missing in passthrough mode.
bool StorageMissing(const ApiContext& ctx, httplib::Response& res);

}  // namespace ibr::http
