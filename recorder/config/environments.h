// Environments (seed 003, DESIGN.md "Ports and environments"): each one's port
// block, TWS client ids and isolated storage root, so production, staging and
// development run side by side on one host. Constant data, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ibr::config {

struct Environment {
  const char* name;
  int port_base;             // the block is [port_base, port_base + 99]
  int client_id;             // main TWS client id
  int background_client_id;  // reserved for background work (not read by ib-recorder)
  int upstream_port() const { return port_base + 1; }  // ib-stream's PORT
  int recorder_port() const { return port_base + 2; }
  int port_block_end() const { return port_base + 99; }
  std::string storage_root() const { return std::string("/var/lib/ib-recorder/") + name; }
};

// production, development, staging (in port order).
const std::vector<Environment>& Environments();
// nullptr when `name` is none of them.
const Environment* FindEnvironment(std::string_view name);
// "production, development or staging"
std::string EnvironmentChoices();

}  // namespace ibr::config
