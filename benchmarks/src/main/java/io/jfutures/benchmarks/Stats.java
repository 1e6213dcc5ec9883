package io.jfutures.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Summary statistics with the definitions of {@code python_peer.py}. */
final class Stats {
  private Stats() {}

  /**
   * The median: the middle value, or the mean of the two middle values for an even count.
   *
   * @throws IllegalArgumentException if there are no values
   */
  static double median(double... values) {
    double[] s = sorted(values);
    int mid = s.length / 2;
    return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }

  /** As {@link #median(double...)}. */
  static double median(Collection<? extends Number> values) {
    return median(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code p} percent of the values
   * at or below it, as {@code percentile} in {@code python_peer.py}.
   *
   * @param p in [0, 100]
   * @throws IllegalArgumentException if there are no values or {@code p} is out of range
   */
  static double percentile(double[] values, double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], was " + p);
    }
    double[] s = sorted(values);
    int rank = Math.max(1, (int) Math.ceil(s.length * p / 100));
    return s[rank - 1];
  }

  /** The arithmetic mean. */
  static double mean(double... values) {
    requireValues(values);
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The smallest value. */
  static double min(double... values) {
    return sorted(values)[0];
  }

  private static double[] sorted(double[] values) {
    requireValues(values);
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  private static void requireValues(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
  }
}
