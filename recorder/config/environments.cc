// The environment table.
#include "config/environments.h"

namespace ibr::config {

const std::vector<Environment>& Environments() {
  static const std::vector<Environment> kEnvironments = {
      {"production", 8000, 2, 10},
      {"development", 8100, 12, 20},
      {"staging", 8200, 22, 30},
  };
  return kEnvironments;
}

const Environment* FindEnvironment(std::string_view name) {
  for (const auto& e : Environments()) {
    if (name == e.name) return &e;
  }
  return nullptr;
}

std::string EnvironmentChoices() { return "production, development or staging"; }

}  // namespace ibr::config
