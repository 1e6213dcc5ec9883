package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.api.SerializableSupplier;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;

/**
 * Where a hub is, and the token that proves a client may use it: what every handle carries, so that
 * it reconnects in whichever process deserializes it. A handle travels only inside jfutures' own
 * channels (a process's launch, a pool's task), whose ends authenticated each other.
 *
 * <p>A hub reached over TLS also carries how a client makes its TLS context, so that a process
 * handed a proxy connects as the process that first connected did. Two references to one hub are
 * equal whatever their contexts: a process has one connection to a hub, made with the context of
 * the reference it first connected by.
 *
 * @param socket the path of the hub's Unix-domain socket, or {@code tcp:host:port}, or {@code
 *     tls:host:port}
 * @param token the hub's token, or the hex of a TCP hub's authentication key
 * @param pid the pid of the hub's JVM, or -1 if not known here
 * @param tls how a client makes its TLS context, for a hub reached over TLS; else null
 */
public record HubRef(
    String socket, String token, long pid, SerializableSupplier<? extends SSLContext> tls)
    implements Serializable {
  private static final long serialVersionUID = 2L;

  private static final String TCP = "tcp:";
  private static final String TLS = "tls:";

  /** A hub on this machine, at the Unix-domain socket {@code socket}. */
  public HubRef(String socket, String token, long pid) {
    this(socket, token, pid, null);
  }

  /**
   * The hub of a manager at {@code host}:{@code port}, reached with {@code key}: over TLS with the
   * context {@code tls} makes if it is not null, else over plain TCP.
   */
  public static HubRef tcp(
      String host, int port, byte[] key, long pid, SerializableSupplier<? extends SSLContext> tls) {
    return new HubRef(
        (tls == null ? TCP : TLS) + host + ":" + port, HexFormat.of().formatHex(key), pid, tls);
  }

  /**
   * Whether the hub is reached over TCP (or TLS), with an authentication key, rather than a local
   * socket.
   */
  public boolean isTcp() {
    return socket.startsWith(TCP) || socket.startsWith(TLS);
  }

  /** Whether the hub is reached over TLS. */
  public boolean isTls() {
    return socket.startsWith(TLS);
  }

  /** The TCP address of a hub reached over TCP, with its host as it was named. */
  public InetSocketAddress tcpAddress() {
    String hostPort = socket.substring(TCP.length());
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The authentication key of a hub reached over TCP. */
  byte[] key() {
    return HexFormat.of().parseHex(token);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HubRef r
        && socket.equals(r.socket)
        && token.equals(r.token)
        && pid == r.pid;
  }

  /**
   * As {@code Objects.hash(socket, token, pid)} without its array and boxed pid: every call through
   * a handle looks its connection up by this (a lock's take and give-back twice), and L1's children
   * spent a third of their locking in that garbage and its page faults.
   */
  @Override
  public int hashCode() {
    return 31 * (31 * (31 + socket.hashCode()) + token.hashCode()) + Long.hashCode(pid);
  }

  @Override
  public String toString() {
    // never print the token
    return isTcp()
        ? "manager at " + socket.substring(TCP.length()) + (isTls() ? " (TLS)" : "")
        : "hub of pid " + pid;
  }

  /**
   * Travels as a {@link Form}: reading a record sets up method handles for its canonical
   * constructor ({@code ObjectStreamClass.RecordSupport}), about 20 ms of a fresh JVM's CPU for the
   * first record it reads, and every child handed a handle read this one as it started. The path of
   * this JVM's own hub leaves only once its socket listens ({@link Hub#awaitListening}).
   */
  private Object writeReplace() {
    Hub.awaitListening(this);
    return new Form(this);
  }

  /**
   * A reference's serialized form: its fields, written and read by hand. Externalizable, so that
   * reading one needs neither a record's method handles nor a generated serialization constructor.
   */
  static final class Form implements Externalizable {
    private static final long serialVersionUID = 1L;

    private HubRef ref;

    /** For deserialization only. */
    public Form() {}

    Form(HubRef ref) {
      this.ref = ref;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      out.writeUTF(ref.socket);
      out.writeUTF(ref.token);
      out.writeLong(ref.pid);
      out.writeObject(ref.tls);
    }

    @Override
    @SuppressWarnings("unchecked") // written by writeExternal from a field of this type
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
      ref =
          new HubRef(
              in.readUTF(),
              in.readUTF(),
              in.readLong(),
              (SerializableSupplier<? extends SSLContext>) in.readObject());
    }

    private Object readResolve() {
      HubClient.connectAhead(ref); // a handle read is a hub about to be used
      return ref; // readExternal set it, or threw
    }
  }
}
