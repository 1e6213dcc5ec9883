package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ChannelStreamsTest {
  private Pipe pipe;
  private ExecutorService threads;

  @BeforeEach
  void open() throws IOException {
    pipe = Pipe.open();
    threads = Executors.newFixedThreadPool(3);
  }

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    ChannelStreams.closeQuietly(pipe.sink());
    ChannelStreams.closeQuietly(pipe.source());
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void writesOfEverySize_arriveWholeAndInOrder() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    for (int size :
        new int[] {
          1,
          29,
          ChannelStreams.STAGED - 1,
          ChannelStreams.STAGED,
          ChannelStreams.STAGED + 1,
          3 * ChannelStreams.SLICE + 7,
          5
        }) {
      sent.add(filled(size, sent.size() + 1));
    }
    Future<List<byte[]>> received = threads.submit(() -> readAll(sent));
    OutputStream out = ChannelStreams.out(pipe.sink());
    for (byte[] b : sent) {
      out.write(b);
    }
    out.write(200); // the one-byte write
    List<byte[]> got = received.get(30, TimeUnit.SECONDS);
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), got.get(i), "write " + i);
    }
    assertEquals(200, ChannelStreams.in(pipe.source()).read());
  }

  @Test
  void anOffsetSlice_isWhatIsWritten() throws Exception {
    byte[] b = filled(100, 9);
    Future<List<byte[]>> received = threads.submit(() -> readAll(List.of(new byte[10])));
    ChannelStreams.out(pipe.sink()).write(b, 10, 10);
    assertArrayEquals(Arrays.copyOfRange(b, 10, 20), received.get(30, TimeUnit.SECONDS).get(0));
  }

  @Test
  void smallWritesFromSeveralThreads_neverInterleave() throws Exception {
    int size = 1000;
    int perThread = 2000;
    OutputStream out = ChannelStreams.out(pipe.sink());
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try {
                DataInputStream in = new DataInputStream(ChannelStreams.in(pipe.source()));
                byte[] record = new byte[size];
                for (int i = 0; i < 2 * perThread; i++) {
                  in.readFully(record);
                  for (byte x : record) {
                    if (x != record[0]) {
                      throw new AssertionError("record " + i + " mixes two writers' bytes");
                    }
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            threads);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 1; t <= 2; t++) {
      byte[] record = new byte[size];
      Arrays.fill(record, (byte) t);
      writers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  out.write(record);
                }
                return null;
              }));
    }
    for (Future<?> w : writers) {
      w.get(30, TimeUnit.SECONDS);
    }
    reader.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aNonBlockingChannel_waitsWhenFull_andLosesNothing() throws Exception {
    pipe.sink().configureBlocking(false);
    Selector selector = Selector.open();
    try {
      pipe.sink().register(selector, SelectionKey.OP_WRITE);
      OutputStream out =
          ChannelStreams.out(
              pipe.sink(),
              () -> {
                selector.select(100);
                selector.selectedKeys().clear();
              });
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) { // 200 x 16 KiB: many times what the pipe's buffer holds
        sent.add(filled(ChannelStreams.STAGED, i));
      }
      Future<List<byte[]>> received = threads.submit(() -> readAll(sent));
      for (byte[] b : sent) {
        out.write(b);
      }
      List<byte[]> got = received.get(30, TimeUnit.SECONDS);
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), got.get(i), "write " + i);
      }
    } finally {
      selector.close();
    }
  }

  /** Reads as many bytes as each of {@code like} has, in order. */
  private List<byte[]> readAll(List<byte[]> like) throws IOException {
    InputStream in = ChannelStreams.in(pipe.source());
    List<byte[]> got = new ArrayList<>();
    for (byte[] b : like) {
      got.add(in.readNBytes(b.length));
    }
    return got;
  }

  private static byte[] filled(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    if (size > 0) {
      b[0] = (byte) seed;
    }
    return b;
  }
}
