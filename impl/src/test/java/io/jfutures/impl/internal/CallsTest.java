package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableBiFunction;
import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.internal.process.TaskEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class CallsTest {
  private final TaskEncoding encoding = new TaskEncoding();

  @SuppressWarnings("unchecked")
  private <T> T roundTrip(Object value) throws Exception {
    return (T) encoding.decode(encoding.encode(value));
  }

  @Test
  void chunk_roundTripsEveryKindOfList() throws Exception {
    SerializableFunction<Object, String> describe = String::valueOf;
    List<List<?>> inputs =
        List.of(
            IntStream.range(0, 1000).boxed().collect(Collectors.toList()),
            List.of(1L, 2L, Long.MAX_VALUE),
            List.of(1.5, -0.0, Double.NaN),
            Arrays.asList(1, null, 3),
            List.of(1, 2L, "three"),
            List.of());
    for (List<?> items : inputs) {
      @SuppressWarnings("unchecked")
      Callable<List<String>> chunk = Calls.chunk(describe, (List<Object>) items);
      Callable<List<String>> back = roundTrip(chunk);
      List<String> expected = items.stream().map(String::valueOf).collect(Collectors.toList());
      assertEquals(expected, back.call(), "items " + items);
      List<String> result = roundTrip(chunk.call());
      assertInstanceOf(ArrayList.class, result);
      assertEquals(expected, result);
    }
  }

  @Test
  void chunkOfInts_travelsAsAnArray() throws Exception {
    SerializableFunction<Integer, Long> square = x -> (long) x * x;
    List<Integer> items = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
    int compact = encoding.encode(Calls.chunk(square, items)).length;
    int boxed = encoding.encode(new ArrayList<>(items)).length;
    assertTrue(compact < boxed / 2, compact + " bytes compact vs " + boxed + " boxed");
    List<Long> results = Calls.chunk(square, items).call();
    List<Long> back = roundTrip(results);
    assertEquals(results, back);
  }

  @Test
  void numbersReadBack_areAReadOnlyView_thatTravelsPackedAgain() throws Exception {
    List<Long> longs = List.of(3L, -4L, Long.MIN_VALUE);
    SerializableFunction<Long, Long> same = x -> x;
    List<Long> back = roundTrip(Calls.chunk(same, longs).call());
    assertEquals(longs, back);
    assertEquals(longs.hashCode(), back.hashCode());
    assertFalse(Calls.holdsObjects(back), "boxes on each read, holds no object");
    assertThrows(UnsupportedOperationException.class, () -> back.set(0, null));
    assertThrows(IndexOutOfBoundsException.class, () -> back.get(3));
    assertEquals(longs, roundTrip(back), "and again");
    SerializableFunction<Double, Double> half = x -> x / 2;
    List<Double> doubles = roundTrip(Calls.chunk(half, List.of(1.0, Double.NaN)).call());
    assertEquals(List.of(0.5, Double.NaN), doubles);
    SerializableFunction<String, String> upper = String::toUpperCase;
    assertTrue(Calls.holdsObjects(roundTrip(Calls.chunk(upper, List.of("a", "b")).call())));
  }

  @Test
  void aChunkReadBack_appliesItsFunctionToBoxedValues() throws Exception {
    SerializableFunction<Integer, String> hex = Integer::toHexString;
    Callable<List<String>> back = roundTrip(Calls.chunk(hex, List.of(255, 16, -1)));
    assertEquals(List.of("ff", "10", "ffffffff"), back.call());
  }

  @Test
  void starChunkOfInts_travelsAsTwoArrays_andGivesThePairsResultsInOrder() throws Exception {
    SerializableBiFunction<Integer, Integer, Long> mul = (a, b) -> (long) a * b;
    List<Integer> keys = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
    List<Integer> values = IntStream.range(1, 10_001).boxed().collect(Collectors.toList());
    Callable<List<Long>> chunk = Calls.starChunk(mul, keys, values);
    int compact = encoding.encode(chunk).length;
    int boxed = encoding.encode(new ArrayList<>(keys)).length;
    assertTrue(compact < boxed, compact + " bytes for both lists vs " + boxed + " for one boxed");
    Callable<List<Long>> back = roundTrip(chunk);
    List<Long> results = back.call();
    assertEquals(10_000, results.size());
    for (int i = 0; i < results.size(); i++) {
      assertEquals((long) i * (i + 1), results.get(i));
    }
    assertFalse(Calls.holdsObjects(roundTrip(results)), "the results travel packed too");
    assertEquals(mul, Calls.userTask(chunk), "messages name the user's function");
  }

  @Test
  void starChunk_ofMixedPairs_roundTrips_andUnevenListsAreRefused() throws Exception {
    SerializableBiFunction<Object, Object, String> join = (a, b) -> a + ":" + b;
    Callable<List<String>> back =
        roundTrip(Calls.starChunk(join, Arrays.asList("a", null, 3L), List.of(1, 2.5, "c")));
    assertEquals(List.of("a:1", "null:2.5", "3:c"), back.call());
    assertThrows(
        IllegalArgumentException.class, () -> Calls.starChunk(join, List.of(1), List.of()));
  }
}
