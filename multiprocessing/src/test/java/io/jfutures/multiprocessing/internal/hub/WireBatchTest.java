package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames gathered into one write, and how a reader knows a whole frame is buffered. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class WireBatchTest {
  /** Counts the write calls made to it. */
  static final class CountingWrites extends ByteArrayOutputStream {
    int writes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      super.write(b, off, len);
    }
  }

  @Test
  void framesGathered_leaveInOneWrite_andReadBackAsWritten() throws IOException {
    CountingWrites out = new CountingWrites();
    Wire.Batch batch = new Wire.Batch();
    List<Wire.Frame> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Wire.Frame f = new Wire.Frame(Wire.LEASED, i, 7, -i, i % 3 == 0 ? null : new byte[i]);
      assertTrue(batch.add(f));
      sent.add(f);
    }
    batch.writeTo(this, out);
    batch.writeTo(this, out); // nothing gathered since: no write
    assertEquals(1, out.writes);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
    for (Wire.Frame f : sent) {
      Wire.Frame got = Wire.read(in);
      assertEquals(f.op(), got.op());
      assertEquals(f.request(), got.request());
      assertEquals(f.object(), got.object());
      assertEquals(f.value(), got.value());
      assertArrayEquals(f.payload() == null ? new byte[0] : f.payload(), got.payload());
    }
    assertNull(Wire.read(in));
  }

  @Test
  void aFrameThatDoesNotFit_isRefused_andTheBatchTakesItOnceWritten() throws IOException {
    Wire.Batch batch = new Wire.Batch();
    assertTrue(batch.add(new Wire.Frame(Wire.ITEM, 1, 1, 0, new byte[Wire.Batch.BYTES / 2])));
    Wire.Frame half = new Wire.Frame(Wire.ITEM, 2, 1, 0, new byte[Wire.Batch.BYTES / 2]);
    assertFalse(batch.add(half));
    batch.writeTo(this, OutputStream.nullOutputStream());
    assertTrue(batch.add(half));
    assertFalse(
        new Wire.Batch().add(new Wire.Frame(Wire.ITEM, 3, 1, 0, new byte[Wire.Batch.BYTES])),
        "larger than a batch: written alone");
  }

  @Test
  void frameBuffered_isTrueOnlyForAWholeFrame_andReadsNothing() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.write(bytes, Wire.PUT_ASYNC, 1, 2, 0, new byte[100]);
    byte[] frame = bytes.toByteArray();
    for (int cut : new int[] {0, 3, 4, 28, frame.length - 1}) {
      DataInputStream partial =
          new DataInputStream(
              new BufferedInputStream(new ByteArrayInputStream(frame, 0, cut), 1024));
      assertFalse(Wire.frameBuffered(partial), "cut at " + cut);
    }
    DataInputStream whole =
        new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(frame), 1024));
    assertTrue(Wire.frameBuffered(whole));
    assertEquals(100, Wire.read(whole).payload().length, "still there to read");
  }

  @Test
  void everyHeaderValue_readsBackAsWritten() throws IOException {
    long[] values = {0, 1, -1, 255, 256, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (long v : values) {
      Wire.write(bytes, (byte) -3, v, ~v, v >>> 1, new byte[] {(byte) v});
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    for (long v : values) {
      Wire.Frame f = Wire.read(in);
      assertEquals(-3, f.op());
      assertEquals(v, f.request());
      assertEquals(~v, f.object());
      assertEquals(v >>> 1, f.value());
      assertArrayEquals(new byte[] {(byte) v}, f.payload());
    }
    assertNull(Wire.read(in));
  }

  @Test
  void aFrameCutShort_isNoFrameBetweenFrames_andAnErrorInsideOne() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.write(bytes, Wire.PUT_ASYNC, 1, 2, 3, new byte[10]);
    byte[] frame = bytes.toByteArray();
    for (int cut : new int[] {0, 1, 3}) {
      assertNull(Wire.read(stream(frame, cut)), "cut at " + cut);
    }
    for (int cut : new int[] {4, 5, 4 + Wire.HEADER - 1, 4 + Wire.HEADER, frame.length - 1}) {
      assertThrows(EOFException.class, () -> Wire.read(stream(frame, cut)), "cut at " + cut);
    }
    byte[] bad = frame.clone();
    bad[3] = (byte) (Wire.HEADER - 1); // a length shorter than any header
    IOException e = assertThrows(IOException.class, () -> Wire.read(stream(bad, bad.length)));
    assertTrue(e.getMessage().contains("bad frame length"), e.getMessage());
  }

  private static DataInputStream stream(byte[] bytes, int length) {
    return new DataInputStream(new ByteArrayInputStream(bytes, 0, length));
  }
}
