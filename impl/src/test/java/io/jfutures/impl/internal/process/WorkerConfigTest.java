package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class WorkerConfigTest {
  static final AtomicInteger RUNS = new AtomicInteger();

  /** An initializer with state of its own, as a user's is. */
  record CountingInitializer(int step) implements Runnable, Serializable {
    @Override
    public void run() {
      RUNS.addAndGet(step);
    }
  }

  private final Codec.ClassTable table = new Codec.ClassTable(new ClassFilter(""));
  private final Codec.ClassIndex index =
      new Codec.ClassIndex(getClass().getClassLoader(), new ClassFilter(""), true);

  /** Sends {@code config} as a pool's INIT frame and returns the frame a worker reads. */
  private Frames.Frame send(WorkerConfig config) throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    Frames.Writer writer = new Frames.Writer(wire, table);
    writer.write(Frames.INIT, 0, 0, config.encode(table));
    writer.flush();
    return new Frames.Reader(new ByteArrayInputStream(wire.toByteArray()), index).read();
  }

  @Test
  void aConfigWithoutInitializer_travelsFieldByField() throws Exception {
    Frames.Frame frame = send(new WorkerConfig("w-1", null, "com.example.*", 123L));
    WorkerConfig read = WorkerConfig.decode(frame.payload(), index);
    assertEquals("w-1", read.workerName());
    assertEquals("com.example.*", read.filterPatterns());
    assertEquals(123L, read.maxHeapBytes());
    assertNull(read.initializer());
    assertEquals(0, table.size(), "no class defined: no object stream");
  }

  @Test
  void anInitializer_travelsSerialized_andRunsAsSent() throws Exception {
    Frames.Frame frame = send(new WorkerConfig("w-2", new CountingInitializer(5), "", 0));
    WorkerConfig read = WorkerConfig.decode(frame.payload(), index);
    int before = RUNS.get();
    read.initializer().run();
    assertEquals(before + 5, RUNS.get());
    assertEquals("w-2", read.workerName());
  }

  @Test
  void aPayloadCutShort_orWithTrailingBytes_isRefused() throws Exception {
    byte[] payload = send(new WorkerConfig("w-3", new CountingInitializer(1), "", 0)).payload();
    assertThrows(
        StreamCorruptedException.class,
        () -> WorkerConfig.decode(Arrays.copyOf(payload, payload.length - 1), index));
    StreamCorruptedException extra =
        assertThrows(
            StreamCorruptedException.class,
            () -> WorkerConfig.decode(Arrays.copyOf(payload, payload.length + 2), index));
    assertTrue(extra.getMessage().contains("initializer"), extra.getMessage());
    assertThrows(EOFException.class, () -> WorkerConfig.decode(new byte[] {0, 3, 'w'}, index));
  }
}
