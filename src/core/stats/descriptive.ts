/** Descriptive statistics of benchmark samples. No `vscode` import. */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : Number.NaN;
}

/** The k-th smallest value (0-based) of `values`, reordering the array in place (quickselect). */
export function select(values: Float64Array | number[], k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (high > low) {
    const pivot = values[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Median; reorders a scratch copy unless `inPlace`. */
export function median(values: ArrayLike<number>, inPlace = false): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const work = inPlace && values instanceof Float64Array ? values : Float64Array.from(values);
  const upper = select(work, n >> 1);
  if (n % 2 === 1) return upper;
  // The lower middle is the largest value left of the upper one after selection.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (work[i]! > lower) lower = work[i]!;
  return (lower + upper) / 2;
}

/** Sample standard deviation (n - 1). */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** Median absolute deviation (unscaled). */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  return median(Array.from(values, (value) => Math.abs(value - m)));
}

/** Coefficient of variation: standard deviation over mean. */
export function cv(values: ArrayLike<number>): number {
  const m = mean(values);
  return m === 0 ? 0 : standardDeviation(values) / Math.abs(m);
}

/** Robust coefficient of variation: 1.4826 MAD over median (equals CV for normal data, ignores outliers). */
export function robustCv(values: ArrayLike<number>): number {
  const m = median(values);
  return m === 0 ? 0 : (1.4826 * mad(values)) / Math.abs(m);
}

/** Geometric mean of positive ratios. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}
