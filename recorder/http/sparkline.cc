// Sparkline: polyline points.
#include "http/sparkline.h"

#include <algorithm>
#include <cstdio>

namespace ibr::http {

std::string SparklineSvg(const std::vector<std::uint32_t>& values, int width, int height) {
  const std::uint32_t max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  const std::uint32_t newest = values.empty() ? 0 : values.back();
  std::string svg = "<svg class=\"spark\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
                    "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" role=\"img\"><title>last minute " + std::to_string(newest) + " ticks, peak " +
                    std::to_string(max) + "/min</title>";
  if (values.size() >= 2) {
    svg += "<polyline fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"1.5\" points=\"";
    const double dx = static_cast<double>(width - 2) / static_cast<double>(values.size() - 1);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double x = 1 + dx * static_cast<double>(i);
      const double y = max == 0 ? height - 1.0 : (height - 1.0) - (height - 2.0) * values[i] / max;
      char pt[48];
      std::snprintf(pt, sizeof pt, "%s%.1f,%.1f", i == 0 ? "" : " ", x, y);
      svg += pt;
    }
    svg += "\"/>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace ibr::http
