// Request-latency statistics: percentiles, a bucketed histogram, and per-endpoint counts.
// The demo workload for Perf Lab's C++ side; its inefficiencies are listed in docs/perf/ideas.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace latency {

class Stats {
 public:
  void add(double micros);
  std::size_t size() const { return samples_.size(); }
  // The p-th percentile (0..100), nearest rank. Sorts a copy of every sample on each call.
  double percentile(double p) const;

 private:
  std::vector<double> samples_;
};

// Upper bounds of histogram buckets in microseconds, ascending.
std::vector<double> bucket_bounds(std::size_t buckets);
// Index of the bucket holding `micros`: a linear scan over the bounds.
std::size_t bucket_of(const std::vector<double>& bounds, double micros);

// Counts requests per endpoint name.
class EndpointTable {
 public:
  // Counts one request to `endpoint`; returns its id. A linear search over the names seen so far.
  std::size_t record(const std::string& endpoint);
  std::uint64_t count(std::size_t id) const { return entries_[id].second; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::pair<std::string, std::uint64_t>> entries_;
};

}  // namespace latency
