// Google Benchmark micro-benchmarks for the latency library.
//   build/cpp/latency_bench --benchmark_format=json --benchmark_filter=BM_Percentile
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "latency.hpp"

namespace {

// Deterministic pseudo-random latencies (xorshift), in microseconds.
std::vector<double> latencies(std::size_t count) {
  std::vector<double> values;
  values.reserve(count);
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (std::size_t i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    values.push_back(1.0 + static_cast<double>(state % 100000) / 10.0);
  }
  return values;
}

void BM_Percentile(benchmark::State& state) {
  latency::Stats stats;
  for (double value : latencies(static_cast<std::size_t>(state.range(0)))) stats.add(value);
  for (auto _ : state) {
    benchmark::DoNotOptimize(stats.percentile(99.0));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Percentile)->Arg(1000)->Arg(10000);

void BM_BucketOf(benchmark::State& state) {
  const auto bounds = latency::bucket_bounds(static_cast<std::size_t>(state.range(0)));
  const auto values = latencies(1024);
  for (auto _ : state) {
    std::size_t sum = 0;
    for (double value : values) sum += latency::bucket_of(bounds, value);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(values.size()));
}
BENCHMARK(BM_BucketOf)->Range(8, 64);

class EndpointFixture : public benchmark::Fixture {
 public:
  void SetUp(const benchmark::State&) override {
    names.clear();
    for (int i = 0; i < 200; ++i) names.push_back("/api/v2/service-" + std::to_string(i) + "/items");
  }
  std::vector<std::string> names;
};

BENCHMARK_F(EndpointFixture, Record)(benchmark::State& state) {
  for (auto _ : state) {
    latency::EndpointTable table;
    for (int round = 0; round < 4; ++round) {
      for (const auto& name : names) benchmark::DoNotOptimize(table.record(name));
    }
  }
}

}  // namespace

BENCHMARK_MAIN();
