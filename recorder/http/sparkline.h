// Sparkline: a tiny inline SVG line of per-minute tick counts for the status
// page — no external assets, no namespace URL (inline SVG in HTML needs none).
// Pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ibr::http {

// Oldest value first; the line is scaled to the largest value. The title
// (hover text) gives the newest value and the maximum.
std::string SparklineSvg(const std::vector<std::uint32_t>& values, int width = 120, int height = 24);

}  // namespace ibr::http
