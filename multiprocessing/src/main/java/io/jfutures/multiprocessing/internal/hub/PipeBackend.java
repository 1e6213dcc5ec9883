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
    Hub local = Hub.localIfStarted();
    if (local != null && local.ref().equals(hub)) {
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
    Hub local = Hub.localIfStarted();
    if (local != null && local.ref().equals(hub)) {
      HubPipe p = local.pipe(pipe);
      if (p != null) {
        p.detach(end, Peer.LOCAL);
      }
    } else {
      HubClient.of(hub).send(Wire.DETACH, pipe, end, null);
    }
  }

  /** Returns the queue {@code end} receives from. */
  public static QueueBackend receiving(HubRef hub, long pipe, int end) {
    return QueueBackend.of(hub, pipe + 1 + end, false);
  }

  /** Returns the queue {@code end} sends into. */
  public static QueueBackend sending(HubRef hub, long pipe, int end) {
    return QueueBackend.of(hub, pipe + 2 - end, false);
  }
}
