package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.Serialized;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hosted call's two forms: its own for compact arguments, an object stream for the rest. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HostedCallTest {
  private static final Class<?>[] KEY_VALUE = {Object.class, Object.class};

  private static HostedCall roundTrip(HostedCall call) throws IOException {
    return HostedCall.fromBytes(call.toBytes());
  }

  @Test
  void aCallOfCompactArguments_travelsInItsOwnForm_andComesBackWhole() throws IOException {
    HostedCall call =
        HostedCall.of("put", KEY_VALUE, 7, "seven", null, 3L, 2.5, true, new byte[] {1, 2});
    byte[] bytes = call.toBytes();
    assertEquals((byte) 0xAC, bytes[0]);
    assertEquals((byte) 0xEF, bytes[1], "its own form, not an object stream (0xACED)");
    HostedCall back = HostedCall.fromBytes(bytes);
    assertEquals("put", back.method);
    assertArrayEquals(new String[] {"java.lang.Object", "java.lang.Object"}, back.parameterTypes);
    assertEquals(
        Arrays.asList(7, "seven", null, 3L, 2.5, true), Arrays.asList(back.args).subList(0, 6));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) back.args[6]);
    assertEquals(0, roundTrip(HostedCall.of("size", new Class<?>[0])).args.length);
  }

  @Test
  void aCallWithAnyOtherArgument_travelsAsAnObjectStream() throws IOException {
    HostedCall call = HostedCall.of("putAll", new Class<?>[] {Map.class}, Map.of(1, List.of(2)));
    byte[] bytes = call.toBytes();
    assertEquals((byte) 0xED, bytes[1], "an object stream");
    HostedCall back = HostedCall.fromBytes(bytes);
    assertEquals("putAll", back.method);
    assertEquals(Map.of(1, List.of(2)), back.args[0]);
    Object[] many = new Object[300]; // more than a byte counts
    Arrays.fill(many, 1);
    assertEquals(300, roundTrip(new HostedCall("f", new String[0], many)).args.length);
  }

  @Test
  void anArgumentThatCannotTravel_isNamedAtTheCall() {
    HostedCall call = HostedCall.of("put", KEY_VALUE, 1, new Object());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::toBytes);
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot pass argument 2 to put(java.lang.Object, java.lang.Object), an instance"
                    + " of java.lang.Object: java.lang.Object is not serializable"),
        e.getMessage());
  }

  @Test
  void bytesCutShort_orWithMoreAfterTheArguments_orOfAnotherObject_areRefused() throws IOException {
    byte[] whole = HostedCall.of("put", KEY_VALUE, 1, "one").toBytes();
    for (int cut = 1; cut < whole.length; cut++) {
      byte[] part = Arrays.copyOf(whole, cut);
      assertThrows(IOException.class, () -> HostedCall.fromBytes(part), "cut at " + cut);
    }
    byte[] longer = Arrays.copyOf(whole, whole.length + 1);
    assertThrows(StreamCorruptedException.class, () -> HostedCall.fromBytes(longer));
    byte[] notACall = Serialized.toBytes(List.of(1), "test");
    assertThrows(StreamCorruptedException.class, () -> HostedCall.fromBytes(notACall));
  }
}
