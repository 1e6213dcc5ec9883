package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lambdas typed as the {@code Serializable*} interfaces survive a serialization round trip. */
final class SerializableLambdasTest {
  private static final AtomicReference<Object> SEEN = new AtomicReference<>();

  @Test
  void callable_roundTrip() throws Exception {
    String greeting = "hello";
    SerializableCallable<String> callable = () -> greeting + "!";

    assertEquals("hello!", copy(callable).call());
  }

  @Test
  void runnable_roundTrip() throws Exception {
    String marker = "ran";
    SerializableRunnable runnable = () -> SEEN.set(marker);

    copy(runnable).run();

    assertEquals("ran", SEEN.getAndSet(null));
  }

  @Test
  void function_roundTrip() throws Exception {
    int offset = 40;
    SerializableFunction<Integer, Integer> function = x -> x + offset;

    assertEquals(42, copy(function).apply(2));
  }

  @Test
  void biFunction_roundTrip() throws Exception {
    SerializableBiFunction<Integer, Integer, Integer> biFunction = Math::max;

    assertEquals(7, copy(biFunction).apply(3, 7));
  }

  @Test
  void consumer_roundTrip() throws Exception {
    SerializableConsumer<String> consumer = SerializableLambdasTest::record;

    copy(consumer).accept("accepted");

    assertEquals("accepted", SEEN.getAndSet(null));
  }

  @Test
  void supplier_roundTrip() throws Exception {
    long seed = 42L;
    SerializableSupplier<Long> supplier = () -> seed * 2;

    assertEquals(84L, copy(supplier).get());
  }

  private static void record(Object value) {
    SEEN.set(value);
  }

  @SuppressWarnings("unchecked") // a serialized lambda reads back as its own functional interface
  private static <T> T copy(T lambda) throws Exception {
    return (T) Reserialize.roundTrip(lambda, Object.class);
  }
}
