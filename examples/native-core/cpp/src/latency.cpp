#include "latency.hpp"

#include <algorithm>
#include <cmath>

namespace latency {

void Stats::add(double micros) { samples_.push_back(micros); }

double Stats::percentile(double p) const {
  if (samples_.empty()) return 0.0;
  std::vector<double> sorted = samples_;  // a full copy and sort per query
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

std::vector<double> bucket_bounds(std::size_t buckets) {
  std::vector<double> bounds;
  bounds.reserve(buckets);
  double bound = 1.0;
  for (std::size_t i = 0; i < buckets; ++i) {
    bounds.push_back(bound);
    bound *= 1.25;
  }
  return bounds;
}

std::size_t bucket_of(const std::vector<double>& bounds, double micros) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (micros <= bounds[i]) return i;
  }
  return bounds.size();
}

std::size_t EndpointTable::record(const std::string& endpoint) {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].first == endpoint) {
      ++entries_[i].second;
      return i;
    }
  }
  entries_.emplace_back(endpoint, 1);
  return entries_.size() - 1;
}

}  // namespace latency
