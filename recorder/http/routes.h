// Routes: every path the recorder's HTTP server answers, declared in one
// place (routes.cc), plus the handlers that apply to all of them: API-key
// check before routing, JSON bodies for library-made errors (404, 413, ...),
// 500 for exceptions. Called once by HttpServer::Start before listening.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// `ctx` must outlive the server.
void RegisterRoutes(httplib::Server& server, const ApiContext& ctx);

}  // namespace ibr::http
