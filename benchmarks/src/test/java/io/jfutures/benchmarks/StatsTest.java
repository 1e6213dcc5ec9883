package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

final class StatsTest {

  @Test
  void median_odd() {
    assertEquals(3.0, Stats.median(5, 1, 3));
  }

  @Test
  void median_even() {
    assertEquals(2.5, Stats.median(4, 1, 3, 2));
  }

  @Test
  void median_one() {
    assertEquals(7.0, Stats.median(7));
  }

  @Test
  void median_collection() {
    assertEquals(113.5, Stats.median(List.of(113.1, 200.0, 113.9, 100L)));
  }

  @Test
  void median_doesNotSortTheCallersArray() {
    double[] values = {3, 1, 2};
    Stats.median(values);
    assertEquals(3.0, values[0]);
  }

  @Test
  void median_empty() {
    assertThrows(IllegalArgumentException.class, () -> Stats.median());
    assertThrows(IllegalArgumentException.class, () -> Stats.median(List.<Double>of()));
  }

  @Test
  void percentile_nearestRank() {
    double[] tenValues = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    // python_peer.percentile: s[max(1, ceil(len * p / 100)) - 1]
    assertEquals(9.0, Stats.percentile(tenValues, 90));
    assertEquals(10.0, Stats.percentile(tenValues, 99));
    assertEquals(10.0, Stats.percentile(tenValues, 100));
    assertEquals(5.0, Stats.percentile(tenValues, 50));
    assertEquals(1.0, Stats.percentile(tenValues, 0));
    assertEquals(1.0, Stats.percentile(tenValues, 1));
    assertEquals(2.0, Stats.percentile(tenValues, 11));
  }

  @Test
  void percentile_matchesPythonOnTwoHundredValues() {
    double[] values = new double[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = i + 1;
    }
    // ceil(200 * 99 / 100) = 198; ceil(200 * 90 / 100) = 180
    assertEquals(198.0, Stats.percentile(values, 99));
    assertEquals(180.0, Stats.percentile(values, 90));
  }

  @Test
  void percentile_outOfRange() {
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, -1));
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, 101));
    assertThrows(
        IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[0], 50));
  }

  @Test
  void meanAndMin() {
    assertEquals(2.0, Stats.mean(1, 2, 3));
    assertEquals(-1.0, Stats.min(3, -1, 2));
    assertThrows(IllegalArgumentException.class, () -> Stats.mean());
  }
}
