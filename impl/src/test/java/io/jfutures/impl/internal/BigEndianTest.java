package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

final class BigEndianTest {
  @Test
  void bytes_areAsAByteBufferWouldHaveThem_atAnyOffset() {
    long[] values = {0, 1, -1, 0x0102030405060708L, Long.MIN_VALUE, Long.MAX_VALUE, 0x80L, -129};
    for (long v : values) {
      byte[] b = new byte[3 + Long.BYTES + Integer.BYTES];
      BigEndian.putLong(b, 3, v);
      BigEndian.putInt(b, 3 + Long.BYTES, (int) v);
      byte[] want = ByteBuffer.allocate(b.length).position(3).putLong(v).putInt((int) v).array();
      assertArrayEquals(want, b, Long.toHexString(v));
      assertEquals(v, BigEndian.longAt(b, 3));
      assertEquals((int) v, BigEndian.intAt(b, 3 + Long.BYTES));
    }
  }
}
