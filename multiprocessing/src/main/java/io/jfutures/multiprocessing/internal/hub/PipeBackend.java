package io.jfutures.multiprocessing.internal.hub;

/**
 * A pipe end's way to its pipe: which queues it sends into and receives from (see {@link
 * Hub#newPipe}), and telling the hub which process holds it.
 */
public final class PipeBackend {
  private PipeBackend() {}

  /**
   * How many bytes of messages a pipe holds for the process of its receiving end before a send
   * waits (one message of any size goes in when less is held).
   */
  public static final long MAX_BUFFERED_BYTES = HubQueue.PIPE_MAX_BYTES;

  /** Creates a pipe in this JVM's hub; returns its id. */
  public static long create(boolean duplex) {
    return Hub.local().newPipe(duplex);
  }

  /** Returns this JVM's hub, starting it if needed. */
  public static HubRef localHub() {
    return Hub.local().ref();
  }

  /** Says that this process holds {@code end} of the pipe. */
  public static void attach(HubRef hub, long pipe, int end) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubPipe p = local.pipe(pipe);
      if (p != null) {
        p.attach(end, Peer.LOCAL);
      }
    } else {
      HubClient.of(hub).send(Wire.ATTACH, pipe, end, null);
    }
  }

  /** Says that this process closed {@code end} of the pipe. */
  public static void detach(HubRef hub, long pipe, int end) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubPipe p = local.pipe(pipe);
      if (p != null) {
        p.detach(end, Peer.LOCAL);
      }
    } else {
      HubClient.of(hub).send(Wire.DETACH, pipe, end, null);
    }
  }

  /**
   * Begins a send on {@code end}: through the shared-memory ring of the direction it sends into, if
   * the hub grants this process one ({@link PipeRing}), else through {@link #sending}. The caller
   * closes it once the message is in either, as {@code try (Send s = begin(...)) { if
   * (!s.inRing(...)) put... }}: while a send through the hub is on its way, this process asks for
   * no ring, so the hub has it before it could grant one (the sending thread's next message may go
   * through that ring, and must not pass it).
   */
  public static Send beginSend(HubRef hub, long pipe, int end) {
    RingSender sender = RingSender.of(hub, pipe, end);
    sender.beginSend();
    return new Send(sender);
  }

  /** A send on a pipe end, from {@link #beginSend} to its close. Used by one thread. */
  public static final class Send implements AutoCloseable {
    private final RingSender sender;

    private Send(RingSender sender) {
      this.sender = sender;
    }

    /**
     * Sends {@code length} bytes of {@code buffer} from {@code offset} as one message through the
     * ring, if it is granted and takes it; returns false if it must go through the hub instead.
     */
    public boolean inRing(byte[] buffer, int offset, int length) {
      return sender.trySend(buffer, offset, length);
    }

    @Override
    public void close() {
      sender.endSend();
    }
  }

  /**
   * Takes the next message {@code end} receives: from the direction's ring, or its queue; as {@link
   * QueueBackend#get}.
   *
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  public static byte[] receive(HubRef hub, long pipe, int end, long timeoutNanos)
      throws InterruptedException {
    return RingReceiver.of(hub, pipe + 1 + end).receive(receiving(hub, pipe, end), timeoutNanos);
  }

  /** Forgets what this process kept for {@code end} (its rings): it was closed here. */
  public static void forget(HubRef hub, long pipe, int end) {
    RingSender.forget(hub, pipe, end);
    RingReceiver.forget(hub, pipe + 1 + end);
  }

  /**
   * Returns the queue {@code end} receives from: in a process other than the hub's, messages come
   * ahead of its receives while it holds that end alone ({@link HubPipe}).
   */
  public static QueueBackend receiving(HubRef hub, long pipe, int end) {
    return QueueBackend.of(hub, pipe + 1 + end, false, true);
  }

  /** Returns the queue {@code end} sends into. */
  public static QueueBackend sending(HubRef hub, long pipe, int end) {
    return QueueBackend.of(hub, pipe + 2 - end, false);
  }
}
