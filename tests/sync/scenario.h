// Test support: three recorder storage roots as three instances, with a
// history whose central answers are known exactly (the truth the multi-host
// tests compare against):
//
//   production-collector1-blue   collector1:8002  2025-03-10 13:00-15:00 completed
//                                 (outage of 711280073 'last' only 13:30-13:40: still covered);
//                                 2025-01-10 14:30-21:00 ingest of 265598
//   production-collector1-green  collector1:8002  2025-03-10 14:50-18:00 completed, blue-green
//                                 handoff from blue 14:50-15:00 (migration events with validation);
//                                 upstream outage of 711280073 16:00-16:20
//   production-collector2        collector2:8002  2025-03-10 18:30 - crash, failed, ended at the last
//                                 durable tick 19:45:12.5 (711280073 only); 2025-07-11 13:00-21:00
//                                 completed; an active session since two hours ago
//
// Contracts 711280073 (MNQ) and 265598 (AAPL); hourly sealed files for every session hour.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "test_catalog.h"

namespace ibr::sync::testing {

struct Scenario {
  std::unique_ptr<TestCatalog> blue, green, collector2;
  std::vector<TestCatalog*> all() { return {green.get(), blue.get(), collector2.get()}; }
};

Scenario MakeScenario(const std::string& dir);

}  // namespace ibr::sync::testing
