package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableSupplier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every handle carries: it must travel whole, and not as a record (see HubRef). */
@Timeout(30)
final class HubRefTest {
  @Test
  void aLocalReference_travelsAsItsForm_andComesBackEqualWithEveryField() throws Exception {
    HubRef ref = new HubRef("/tmp/jfutures-hub.sock", "00ff", 4242);
    byte[] bytes = serialize(ref);
    String stream = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(stream.contains(HubRef.Form.class.getName()), "written as its form");
    assertFalse(
        stream.replace(HubRef.Form.class.getName(), "").contains(HubRef.class.getName()),
        "no record descriptor");

    HubRef back = (HubRef) deserialize(bytes);
    assertEquals(ref, back);
    assertEquals("/tmp/jfutures-hub.sock", back.socket());
    assertEquals("00ff", back.token());
    assertEquals(4242, back.pid());
    assertEquals(null, back.tls());
  }

  @Test
  void aTlsReference_keepsHowItsClientMakesItsContext() throws Exception {
    SerializableSupplier<SSLContext> tls = new DefaultContext();
    HubRef ref = HubRef.tcp("localhost", 5000, new byte[] {1, 2}, 7, tls);
    HubRef back = (HubRef) deserialize(serialize(ref));
    assertEquals(ref, back);
    assertTrue(back.isTls());
    assertNotNull(back.tls().get());
  }

  /** How a TLS client makes its context: the JDK's default. */
  static final class DefaultContext implements SerializableSupplier<SSLContext> {
    private static final long serialVersionUID = 1L;

    @Override
    public SSLContext get() {
      try {
        return SSLContext.getDefault();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
