/** `npm run bench` (statistics part): 100 benchmarks x 50 samples, 10,000 bootstrap resamples each; target <= 1 s. */
import { compare, seededRandom } from '../../src/core/stats';

export function runStatsBench(report: (what: string, value: string, target: string) => void): void {
  const random = seededRandom(99);
  const sample = (centre: number) => Array.from({ length: 50 }, () => centre * (1 + (random() - 0.5) / 20));
  const suite = Array.from({ length: 100 }, (_, i) => [sample(100 + i), sample((100 + i) * 0.97)] as const);
  const started = performance.now();
  for (const [baseline, candidate] of suite) compare(baseline, candidate, { resamples: 10_000 });
  report('compare 100 benchmarks x 50 samples, 10,000 bootstrap resamples each', `${(performance.now() - started).toFixed(0)} ms`, '<= 1000 ms');
}
