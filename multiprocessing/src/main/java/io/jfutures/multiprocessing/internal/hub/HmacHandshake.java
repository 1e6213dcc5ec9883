package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.RandomBytes;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a hub that listens on TCP (a {@code Manager} reachable from other machines) and a client
 * prove to each other that they share the authentication key, before either reads anything else
 * from the other: each sends a random challenge, and the other answers with its HMAC-SHA256 under
 * the key, as Python's {@code multiprocessing.connection} does. The key itself never travels. Then
 * the hub tells the client the number by which it knows the client's process (a client on another
 * machine has no pid the hub can read).
 */
final class HmacHandshake {
  private static final int CHALLENGE_BYTES = 32;

  /** How long either side waits for the other's part, from connecting on: then it gives up. */
  static final int DEADLINE_MILLIS = 10_000;

  private HmacHandshake() {}

  /**
   * The hub's side: challenges the client, answers its challenge, and sends {@code process}.
   *
   * @return whether the client proved it has the key; if not, nothing more is sent
   */
  static boolean server(InputStream in, OutputStream out, byte[] key, long process)
      throws IOException {
    DataOutputStream o = new DataOutputStream(out);
    DataInputStream i = new DataInputStream(in);
    byte[] challenge = challenge();
    o.write(challenge);
    o.flush();
    byte[] answer = i.readNBytes(CHALLENGE_BYTES);
    if (!MessageDigest.isEqual(hmac(key, challenge), answer)) {
      return false;
    }
    byte[] theirs = i.readNBytes(CHALLENGE_BYTES);
    o.write(hmac(key, theirs));
    o.writeLong(process);
    o.flush();
    return theirs.length == CHALLENGE_BYTES;
  }

  /**
   * The client's side: answers the hub's challenge, challenges it in turn.
   *
   * @return the number by which the hub knows this process
   * @throws IOException if the hub's answer is wrong (it does not have the key), or the connection
   *     ended (the hub refused this client's answer)
   */
  static long client(InputStream in, OutputStream out, byte[] key) throws IOException {
    DataOutputStream o = new DataOutputStream(out);
    DataInputStream i = new DataInputStream(in);
    byte[] theirs = i.readNBytes(CHALLENGE_BYTES);
    if (theirs.length != CHALLENGE_BYTES) {
      throw new IOException("the server closed the connection before its challenge");
    }
    o.write(hmac(key, theirs));
    byte[] challenge = challenge();
    o.write(challenge);
    o.flush();
    byte[] answer;
    try {
      answer = i.readNBytes(CHALLENGE_BYTES);
    } catch (IOException e) {
      answer = new byte[0]; // closed, with our challenge unread: a reset
    }
    if (answer.length != CHALLENGE_BYTES) {
      throw new Refused(
          "the manager refused this process: the authentication key does not match its own");
    }
    if (!MessageDigest.isEqual(hmac(key, challenge), answer)) {
      throw new Refused(
          "the server did not prove that it has the authentication key: it is not the manager");
    }
    return i.readLong();
  }

  /** The other side does not share the key. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static byte[] challenge() {
    return RandomBytes.of(CHALLENGE_BYTES);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
