package io.jfutures.multiprocessing.internal.hub;

import com.google.common.io.CountingInputStream;
import com.google.common.io.CountingOutputStream;
import io.jfutures.api.SerializableSupplier;
import io.jfutures.impl.internal.JmxRegistration;
import io.jfutures.impl.internal.PrivateDirectories;
import io.jfutures.impl.internal.RandomBytes;
import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.jvm.ChannelStreams;
import io.jfutures.multiprocessing.HubMXBean;
import io.jfutures.multiprocessing.internal.Children;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.net.ssl.SSLContext;

/**
 * This JVM's hub: the server that holds the shared objects this JVM created (queues, pipes, locks,
 * semaphores, events and barriers) and answers the other processes that use them, over a
 * Unix-domain socket in a directory only this user can enter. A client proves itself with the hub's
 * token, which travels inside the handles. Each client process has one connection, and a thread
 * here reads it; when it ends, however the process ended, every object drops that process's waiters
 * and takes back what it held ({@link HubQueue#peerGone}). Started on first use; it lives as long
 * as this JVM.
 *
 * <pre>
 * States: NONE -> STARTED (local(): directory made, token drawn; this JVM's own processes use
 * its objects) -> LISTENING (the accept thread bound the socket, and accepts) or FAILED (it could
 * not: handing a handle to another process then throws); never stops before the JVM exits, when a
 * shutdown hook closes the listening sockets, deletes the socket and its directory, and, once this
 * JVM's children are out ({@link Children#awaitExitWork}), closes the connections left: a JVM whose
 * threads are blocked in a read when it exits waits 300 ms for them (HotSpot's exit waits that
 * long for threads in native code), and a hub's readers always are.
 * </pre>
 *
 * <p>Invariant: no other process learns the socket's path before it is LISTENING. A path leaves
 * this JVM only inside a serialized {@link HubRef}, whose {@code writeReplace} waits for it ({@link
 * #awaitListening}), as does a client of this JVM's own hub. The bind runs on the accept thread
 * because opening the JVM's first Unix-domain socket seeds a {@code SecureRandom} (in {@code
 * sun.nio.ch.UnixDomainSockets}), and a program's first queue or lock need not wait for it; nor for
 * the search for dead hubs' directories, which runs on a thread of its own.
 */
public final class Hub {
  /** Short, so that a socket path fits in a Unix socket address. */
  private static final Path SOCKET_PARENT = Path.of("/tmp");

  private static final String DIR_PREFIX = "jfutures-hub-";
  private static final String SOCKET_NAME = "hub.sock";
  private static volatile Hub local;

  private final HubRef ref;
  private final byte[] expectedToken;
  private final Path socket;

  /** The listening socket, once the accept thread has bound it (LISTENING), or why not (FAILED). */
  private final CompletableFuture<ServerSocketChannel> listening = new CompletableFuture<>();

  /** How long a handle's serialization waits for the socket at most: a bind takes milliseconds. */
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);

  private final Map<Long, HubQueue> queues = new ConcurrentHashMap<>();
  private final Map<Long, HubPipe> pipes = new ConcurrentHashMap<>();

  /** Locks, semaphores, events and barriers; a lock's conditions map to the lock. */
  private final Map<Long, HubSync> syncs = new ConcurrentHashMap<>();

  /** The objects managers host here, and the calls on them. */
  private final HubHosting hosting = new HubHosting(this);

  /** The words in shared memory that say who holds each lock. */
  private final LockWords lockWords = new LockWords();

  /**
   * The connections open now; one leaves only once what its process held is released (its peerGone
   * calls have returned), under {@link #departures}, which is then notified.
   */
  private final Map<Connection, Boolean> connections = new ConcurrentHashMap<>();

  private final Object departures = new Object();

  /** The TCP listeners, closed at exit with the Unix socket's. */
  private final Queue<AutoCloseable> listeners = new ConcurrentLinkedQueue<>();

  private final AtomicLong ids = new AtomicLong();

  /** Bytes read from and written to connections that have ended; the open ones count their own. */
  private final LongAdder endedRead = new LongAdder();

  private final LongAdder endedWritten = new LongAdder();

  private Hub(HubRef ref, Path socket) {
    this.ref = ref;
    this.expectedToken = (ref.token() + "\n").getBytes(StandardCharsets.US_ASCII);
    this.socket = socket;
  }

  /** Returns this JVM's hub, starting it on first use. */
  public static Hub local() {
    Hub h = local;
    if (h == null) {
      synchronized (Hub.class) {
        h = local;
        if (h == null) {
          h = start();
          local = h;
        }
      }
    }
    return h;
  }

  /** Returns this JVM's hub if it was started, else null. */
  static Hub localIfStarted() {
    return local;
  }

  /**
   * Waits, at most {@code timeout}, until this JVM's hub (if it was started) has no connection of
   * process {@code pid} left: every lock, permit, lease and waiter that process held here is then
   * released or forgotten. For a child that has exited, whose connections the kernel closed: its
   * {@code join()} returns after what it held is free, not moments before.
   *
   * @return whether it has none (false: the timeout passed first)
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean awaitDeparted(long pid, Duration timeout) throws InterruptedException {
    Hub hub = local;
    if (hub == null) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (hub.departures) {
      while (hub.hasConnectionOf(pid)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(hub.departures, left);
      }
    }
    return true;
  }

  /**
   * Process {@code pid}, a child of this JVM, has exited and been reaped: what it held in this
   * JVM's hub (if it was started) that waited for its death to be seen is handed on now. Call after
   * {@link #awaitDeparted}.
   */
  public static void processExited(long pid) {
    Hub hub = local;
    if (hub != null) {
      for (HubSync sync : new HashSet<>(hub.syncs.values())) {
        sync.processExited(pid);
      }
    }
  }

  private boolean hasConnectionOf(long pid) {
    for (Connection c : connections.keySet()) {
      if (c.pid() == pid) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns this JVM's hub if it is started and is {@code ref}'s, else null: a caller's shortcut.
   */
  static Hub localIfIs(HubRef ref) {
    Hub local = localIfStarted();
    return local != null && local.ref().equals(ref) ? local : null;
  }

  private static Hub start() {
    try {
      Threads.newDaemonInRootGroup(Hub::removeLeftovers, "jfutures-hub-leftovers").start();
      Path dir =
          PrivateDirectories.create(
              SOCKET_PARENT, DIR_PREFIX + ProcessHandle.current().pid() + "-");
      Path socket = dir.resolve(SOCKET_NAME);
      byte[] token = RandomBytes.of(32);
      Hub hub =
          listenOn(
              socket,
              new HubRef(
                  socket.toString(),
                  HexFormat.of().formatHex(token),
                  ProcessHandle.current().pid()));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    hub.closeListening();
                    hub.listeners.forEach(ChannelStreams::closeQuietly);
                    hub.lockWords.unlinkAll();
                    hub.queues.values().forEach(HubQueue::unlinkRingBlock);
                    hub.connections.keySet().forEach(Connection::unlinkLane);
                    try {
                      Files.deleteIfExists(socket);
                      Files.deleteIfExists(dir);
                    } catch (IOException e) {
                      // left in /tmp: harmless, owner-only
                    }
                    hub.closeConnectionsOnceChildrenAreOut();
                  },
                  "jfutures-hub-cleanup"));
      // Only once JMX is in use: its first use in a JVM is dear. The hub lives as long as its JVM,
      // so its registration is never withdrawn. The class archive's training runs this too (JMX
      // is not in use there either), so that a manager's JVM finds these classes in its archive:
      // a class from the class path has the class loader read the whole directory of the jars
      // before it (M4 with the benchmarks' jar of 4,349 entries: a median of 104 ms, 100 after).
      JmxRegistration.soon(hub::registerMxBean);
      return hub;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start this JVM's jfutures hub: " + e, e);
    }
  }

  /**
   * At exit: closes every connection once this JVM's children, which may use them until they end,
   * are out. A process that still uses this hub then finds it gone, as it would a moment later.
   */
  private void closeConnectionsOnceChildrenAreOut() {
    try {
      Children.awaitExitWork();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnections();
  }

  /** Closes every connection: each reader ends, and its process's holdings are released. */
  void closeConnections() {
    connections.keySet().forEach(c -> c.link.close());
  }

  /**
   * Registers this hub's figures as {@code io.jfutures:type=Hub,name=<pid>}; never fails the hub.
   */
  private void registerMxBean() {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(
              new StandardMBean(new Figures(), HubMXBean.class, true),
              new ObjectName("io.jfutures:type=Hub,name=" + ref.pid()));
    } catch (JMException | RuntimeException e) {
      System.getLogger("io.jfutures.multiprocessing")
          .log(System.Logger.Level.WARNING, "could not register the hub's MXBean", e);
    }
  }

  /** The hub's figures, for {@link HubMXBean}. */
  private final class Figures implements HubMXBean {
    @Override
    public int getObjects() {
      return queues.size() + pipes.size() + new HashSet<>(syncs.values()).size() + hosting.count();
    }

    @Override
    public int getClients() {
      int n = 0;
      for (Connection c : connections.keySet()) {
        n += c.line ? 0 : 1;
      }
      return n;
    }

    @Override
    public int getWaiters() {
      int n = 0;
      for (HubQueue q : queues.values()) {
        n += q.waiting();
      }
      for (HubPipe p : pipes.values()) {
        n += p.waiting();
      }
      for (HubSync sync : new HashSet<>(syncs.values())) {
        n += sync.waiting();
      }
      return n;
    }

    @Override
    public List<String> getBusyObjects() {
      TreeMap<Long, String> lines = new TreeMap<>();
      for (HubQueue q : queues.values()) {
        String line = q.describe();
        if (line != null) {
          lines.put(q.id, line);
        }
      }
      for (HubSync sync : new HashSet<>(syncs.values())) {
        String line = sync.describe();
        if (line != null) {
          lines.put(sync.id, line);
        }
      }
      return List.copyOf(lines.values());
    }

    @Override
    public long getBytesRead() {
      long n = endedRead.sum();
      for (Connection c : connections.keySet()) {
        n += c.in.getCount() + c.laneRead.sum();
      }
      return n;
    }

    @Override
    public long getBytesWritten() {
      long n = endedWritten.sum();
      for (Connection c : connections.keySet()) {
        n += c.out.getCount() + c.laneWritten.sum();
      }
      return n;
    }
  }

  /**
   * Deletes the socket directories of hubs whose JVM is gone: a JVM killed with SIGKILL runs no
   * shutdown hook to delete its own. The directory's name carries the pid.
   */
  static void removeLeftovers() {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(SOCKET_PARENT, DIR_PREFIX + "*")) {
      for (Path dir : dirs) {
        String rest = dir.getFileName().toString().substring(DIR_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        Files.deleteIfExists(dir.resolve(SOCKET_NAME));
        Files.deleteIfExists(dir);
      }
    } catch (IOException | RuntimeException e) {
      // another user's, or in use: leftovers are harmless, and owner-only
    }
  }

  /** Returns where this hub is. */
  public HubRef ref() {
    return ref;
  }

  /** Creates a queue; returns its id. */
  synchronized long newQueue(int maxSize, boolean joinable, HubQueue.DeadConsumerPolicy policy) {
    long id = ids.incrementAndGet();
    queues.put(id, new HubQueue(id, maxSize, joinable, policy, lockWords));
    return id;
  }

  /**
   * Creates a pipe: a queue per direction, or one for a one-way pipe (end 0 receives, end 1 sends);
   * returns its id. The queue end {@code e} receives from has id {@code id + 1 + e}.
   */
  synchronized long newPipe(boolean duplex) {
    long id = ids.addAndGet(3) - 2;
    HubQueue toZero = HubQueue.pipeDirection(id + 1, HubQueue.PIPE_MAX_BYTES, lockWords);
    HubQueue toOne = HubQueue.pipeDirection(id + 2, HubQueue.PIPE_MAX_BYTES, lockWords);
    queues.put(toZero.id, toZero);
    if (duplex) {
      queues.put(toOne.id, toOne);
    }
    pipes.put(id, new HubPipe(id, duplex ? toOne : null, toZero));
    return id;
  }

  /** Returns a new id for an object of this hub. */
  long newId() {
    return ids.incrementAndGet();
  }

  /** Returns the objects managers host here. */
  HubHosting hosting() {
    return hosting;
  }

  /** Creates a lock, with its word in shared memory; returns its id. */
  long newLock() {
    return newSync(id -> new HubLock(id, lockWords.allocate()));
  }

  /** Creates a semaphore, with its count in shared memory; returns its id. */
  long newSemaphore(long permits, boolean bounded) {
    return newSync(
        id ->
            new HubSemaphore(
                id, lockWords.allocateRun(SemaphoreWords.RUN_WORDS), permits, bounded));
  }

  /** Creates a barrier, with its state in shared memory; returns its id. */
  long newBarrier(int parties, boolean hasAction) {
    return newSync(
        id ->
            new HubBarrier(id, lockWords.allocateRun(BarrierWords.RUN_WORDS), parties, hasAction));
  }

  /** Creates an event, with its flag in shared memory; returns its id. */
  long newEvent() {
    return newSync(id -> new HubEvent(id, lockWords.allocate()));
  }

  /** Creates a synchronization object with a new id; returns the id. */
  long newSync(LongFunction<HubSync> make) {
    long id = ids.incrementAndGet();
    syncs.put(id, make.apply(id));
    return id;
  }

  /**
   * Creates a condition of the lock {@code lock}; returns its id.
   *
   * @throws IllegalArgumentException if there is no such lock
   */
  long newCondition(long lock) {
    if (!(syncs.get(lock) instanceof HubLock l)) {
      throw new IllegalArgumentException("no lock " + lock + " in " + ref);
    }
    long id = ids.incrementAndGet();
    l.addCondition(id, new ConditionWords(lockWords.allocateRun(ConditionWords.RUN_WORDS)));
    syncs.put(id, l);
    return id;
  }

  /**
   * Returns the synchronization object with {@code id}.
   *
   * @throws IllegalStateException if there is none
   */
  HubSync sync(long id) {
    HubSync s = syncs.get(id);
    if (s == null) {
      throw new IllegalStateException("no lock, semaphore, event or barrier " + id + " in " + ref);
    }
    return s;
  }

  /** Returns the pipe with {@code id}, or null. */
  HubPipe pipe(long id) {
    return pipes.get(id);
  }

  /** Returns the queue with {@code id}, or null. */
  HubQueue queue(long id) {
    return queues.get(id);
  }

  /**
   * Waits until the socket listens (a moment after {@link #local()} started the hub, at most): the
   * hub's path may be handed to another process then.
   *
   * @throws UncheckedIOException if the socket could not be bound
   * @throws IllegalStateException if it was not bound within {@link #LISTEN_TIMEOUT}
   */
  public void awaitListening() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          listening.get(LISTEN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
          return;
        } catch (InterruptedException e) {
          interrupted = true; // a handle is being written: it cannot stop half-way
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u
          ? u
          : new IllegalStateException("this JVM's jfutures hub failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "this JVM's jfutures hub did not listen on " + socket + " within " + LISTEN_TIMEOUT, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** As {@link #awaitListening}, if {@code ref} is this JVM's hub; else returns at once. */
  static void awaitListening(HubRef ref) {
    Hub hub = localIfIs(ref);
    if (hub != null) {
      hub.awaitListening();
    }
  }

  /** A hub for {@code ref}, whose accept thread binds {@code socket} and then accepts. */
  static Hub listenOn(Path socket, HubRef ref) {
    Hub hub = new Hub(ref, socket);
    Threads.newDaemonInRootGroup(hub::listenAndAccept, "jfutures-hub-accept").start();
    return hub;
  }

  /** The accept thread: binds the socket, then accepts until it is closed at exit. */
  private void listenAndAccept() {
    ServerSocketChannel server;
    try {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        server.bind(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        server.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      listening.completeExceptionally(
          new UncheckedIOException(
              "could not start this JVM's jfutures hub: cannot listen on " + socket + ": " + e,
              e instanceof IOException io ? io : new IOException(e)));
      return;
    }
    listening.complete(server);
    acceptLoop(server);
  }

  /** At exit: closes the listening socket, waiting a moment for a bind still under way. */
  void closeListening() {
    try {
      ChannelStreams.closeQuietly(listening.get(1, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      // never bound, or too slow to: if it binds now, the socket file is deleted after this
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop(ServerSocketChannel server) {
    while (server.isOpen()) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        return; // closed at exit
      }
      serve(HubLink.of(channel), null);
    }
  }

  private void serve(HubLink link, byte[] key) {
    Connection c = new Connection(link, key);
    Threads.newDaemonInRootGroup(c::serve, "jfutures-hub-connection").start();
  }

  /** The numbers of the clients' lanes for their puts ({@link PutLane}). */
  private final AtomicLong lanes = new AtomicLong();

  /** The numbers given to the processes of TCP clients. */
  private final AtomicLong tcpProcesses = new AtomicLong(LockWords.TCP_PROCESSES);

  /**
   * Also serves clients on other machines: listens on {@code address} (port 0: any free port),
   * where a client must prove with an HMAC challenge that it has {@code key} before anything it
   * sends is read; over TLS, with the context {@code tls} makes, if it is not null. Returns the
   * reference that names where it listens (clients that connect make their own TLS contexts).
   *
   * @throws java.io.UncheckedIOException if the address cannot be bound
   * @throws IllegalStateException if {@code tls} fails
   */
  public HubRef listenTcp(
      InetSocketAddress address, byte[] key, SerializableSupplier<? extends SSLContext> tls) {
    byte[] copy = key.clone();
    try {
      InetSocketAddress bound;
      if (tls == null) {
        ServerSocketChannel listening = ServerSocketChannel.open();
        listeners.add(listening);
        listening.bind(address);
        bound = (InetSocketAddress) listening.getLocalAddress();
        Threads.newDaemonInRootGroup(
                () -> {
                  while (listening.isOpen()) {
                    try {
                      SocketChannel channel = listening.accept();
                      HubLink.noDelay(channel);
                      serve(HubLink.of(channel), copy);
                    } catch (IOException e) {
                      return; // closed at exit
                    }
                  }
                },
                "jfutures-hub-tcp-accept")
            .start();
      } else {
        ServerSocket listening =
            HubLink.context(tls, "the manager's TLS context supplier")
                .getServerSocketFactory()
                .createServerSocket();
        listeners.add(listening);
        listening.bind(address);
        bound = (InetSocketAddress) listening.getLocalSocketAddress();
        Threads.newDaemonInRootGroup(
                () -> {
                  while (!listening.isClosed()) {
                    try {
                      Socket socket = listening.accept();
                      socket.setTcpNoDelay(true);
                      serve(HubLink.of(socket), copy);
                    } catch (IOException e) {
                      if (listening.isClosed()) {
                        return; // closed at exit
                      }
                    }
                  }
                },
                "jfutures-hub-tls-accept")
            .start();
      }
      String host =
          address.getAddress() == null || address.getAddress().isAnyLocalAddress()
              ? InetAddress.getLocalHost().getHostAddress()
              : bound.getAddress().getHostAddress();
      return HubRef.tcp(host, bound.getPort(), copy, ref.pid(), tls);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ": " + e, e);
    }
  }

  /**
   * One client process's connection: its reader runs here, and what the hub's objects decide for
   * the client is queued here in order and written by one thread at a time.
   *
   * <pre>
   * Its lanes in shared memory: a producer's lane (PutLane: NONE -> OPEN on LANE_OPEN), read
   * between the socket's frames by the reader, or, while the reader waits on its socket, by a
   * thread of this JVM whose get watches it (watchLane); and a consumer's lane (LeaseLane: NONE ->
   * OFFERED on LEASE_LANE_OPEN -> OPEN on LEASE_LANE_READY), into which enqueue writes the leases
   * that fit instead of queueing frames. Both end with the connection, their blocks unlinked.
   * </pre>
   *
   * Invariants: the frames and lane records of the client are handled holding {@code taking}, one
   * at a time, each record after the socket frames written before it and before those written after
   * it; frames for the client are queued, and lease records written, holding {@code outgoing}, each
   * record counting the frames queued before it ({@code framesQueued}).
   */
  private final class Connection implements Peer {
    private final HubLink link;
    private final CountingOutputStream out;
    private final CountingInputStream in;
    private final byte[] tcpKey; // null: a local client, with the token
    private volatile long pid = -1; // the client process's, as it said after its token
    private volatile boolean line; // a CallLine: a manager's calls, never a process of its own
    private final Queue<Wire.Frame> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private Wire.Batch batch; // used by the thread that set writing, made on first flush
    private volatile boolean dead; // a write failed: the process closed its end
    private volatile PutLane lane; // the client's lane for its puts, once asked for (PutLane)
    private volatile LeaseLane offeredLeaseLane; // made and said, not yet mapped: the reader's
    private LeaseLane leaseLane; // OPEN (LeaseLane); guarded by outgoing
    private long framesQueued; // the frames ever queued in outgoing; guarded by outgoing
    private long socketFramesRead; // read from the socket and handled; guarded by taking

    /**
     * Held by whoever handles this connection's frames and lane records: its reader, but for its
     * waits on the socket, or a thread of this JVM that watches the lane meanwhile ({@link
     * #watchLane}), so that they are handled one at a time, in order.
     */
    private final ReentrantLock taking = new ReentrantLock();

    /** Set while the reader waits on its socket with nothing buffered: the lane may be watched. */
    private volatile boolean waitingOnSocket;

    private final LongAdder laneRead = new LongAdder(); // the records' bytes the reader took
    private final LongAdder laneWritten = new LongAdder(); // the lease lane's records' bytes

    Connection(HubLink link, byte[] tcpKey) {
      this.link = link;
      this.out = new CountingOutputStream(link.out());
      this.in = new CountingInputStream(link.in());
      this.tcpKey = tcpKey;
    }

    void serve() {
      try {
        InputStream raw = this.in;
        if (!authenticated(raw)) {
          return;
        }
        connections.put(this, Boolean.TRUE);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
        int burst = 0;
        while (true) {
          PutLane l = lane;
          boolean waits = l != null && !Wire.frameBuffered(in);
          if (waits && !parkLane(l)) {
            continue; // committed meanwhile
          }
          waitingOnSocket = waits;
          Wire.Frame f = Wire.read(in);
          waitingOnSocket = false;
          if (f == null) {
            break;
          }
          taking.lock(); // after a watcher of the lane is done with it
          try {
            if (l != null) {
              l.unpark();
              takeFromLane(l); // what was committed before this frame was written
            }
            // Replies to a burst of frames already read leave together (DeferredFlushes).
            boolean more = burst < DeferredFlushes.MAX_BURST && Wire.frameBuffered(in);
            if (more) {
              DeferredFlushes.begin();
              burst++;
            }
            handle(f);
            socketFramesRead++;
            if (!more) {
              DeferredFlushes.end();
              burst = 0;
            }
          } finally {
            taking.unlock();
          }
        }
      } catch (IOException | RuntimeException e) {
        // the client is gone, or spoke nonsense: either way it is done with
      } finally {
        DeferredFlushes.end();
        link.close();
        endLane();
        endLeaseLane();
        endedRead.add(in.getCount() + laneRead.sum());
        endedWritten.add(out.getCount() + laneWritten.sum());
        if (connections.containsKey(this)) {
          try {
            if (!line) { // a line's end releases only its own uses: the rest is its process's
              queues.values().forEach(q -> q.peerGone(this));
              pipes.values().forEach(p -> p.peerGone(this));
              new HashSet<>(syncs.values()).forEach(s -> s.peerGone(this));
            }
            hosting.peerGone(this);
          } finally {
            synchronized (departures) {
              connections.remove(this);
              departures.notifyAll();
            }
          }
        }
      }
    }

    private boolean authenticated(InputStream in) throws IOException {
      if (tcpKey != null) {
        // A stranger that never answers is cut off; nothing it sends is read before it answers.
        java.util.concurrent.CompletableFuture.delayedExecutor(
                HmacHandshake.DEADLINE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
            .execute(
                () -> {
                  if (pid < 0) {
                    link.close();
                  }
                });
        long process = tcpProcesses.incrementAndGet();
        if (!HmacHandshake.server(in, out, tcpKey, process)) {
          return false;
        }
        pid = process;
        return true;
      }
      byte[] got = in.readNBytes(expectedToken.length);
      if (!MessageDigest.isEqual(expectedToken, got)) {
        return false;
      }
      long said = new DataInputStream(in).readLong();
      line = (said & CallLine.LINE_BIT) != 0;
      pid = said & ~CallLine.LINE_BIT;
      return true;
    }

    @Override
    public long pid() {
      return pid;
    }

    /**
     * Before the reader waits on its socket: takes what the lane holds, then says PARKED; false if
     * a record was committed meanwhile (take it first). A record that waits for socket frames still
     * unread does not stop the read, nor is PARKED said: that frame is on its way, and wakes it.
     * One committed after the take is not such a record: its client saw no PARKED and posts no
     * LANE_WAKE, so a reader that read the socket instead would leave it there until the client's
     * next frame (a producer that then sleeps would hold up its consumer as long).
     */
    private boolean parkLane(PutLane l) {
      taking.lock();
      try {
        takeFromLane(l);
        if (l.hasCommitted()) {
          return l.waitsForSocket(socketFramesRead);
        }
        return l.park();
      } finally {
        taking.unlock();
      }
    }

    @Override
    public boolean watchLane(Future<?> done, long nanos) {
      PutLane l = lane;
      if (l == null) {
        return false;
      }
      long deadline = System.nanoTime() + nanos;
      while (!done.isDone() && System.nanoTime() - deadline < 0) {
        if (waitingOnSocket && taking.tryLock()) {
          try {
            if (waitingOnSocket) {
              watch(l, done, deadline);
            }
          } catch (RuntimeException e) {
            link.close(); // as the reader would end it: its read fails now, and it cleans up
            return true;
          } finally {
            taking.unlock();
          }
        }
        AdaptiveSpin.pause(); // the reader handles a frame (perhaps the put), or another watches
      }
      return true;
    }

    /**
     * Takes the lane's puts in place of the reader, holding {@link #taking}, until {@code done},
     * the deadline, or the reader wants the lane back (a frame came). Watched, a commit needs no
     * LANE_WAKE; given back PARKED, as the reader left it.
     */
    private void watch(PutLane l, Future<?> done, long deadline) {
      l.unpark();
      takeFromLane(l);
      while (!done.isDone()
          && waitingOnSocket
          && !taking.hasQueuedThreads()
          && System.nanoTime() - deadline < 0) {
        AdaptiveSpin.pause();
        takeFromLane(l);
      }
      while (!parkLane(l)) {
        // committed meanwhile: taken on the next turn
      }
    }

    /**
     * Handles the puts the lane holds that were committed after at most the socket frames handled
     * so far, their replies gathered as a burst's are.
     */
    private void takeFromLane(PutLane l) {
      Wire.Frame f = l.next(socketFramesRead);
      if (f == null) {
        return;
      }
      DeferredFlushes.begin();
      try {
        int taken = 0;
        do {
          laneRead.add(2 * Long.BYTES + f.payload().length);
          handle(f);
          if (++taken % DeferredFlushes.MAX_BURST == 0) {
            DeferredFlushes.end(); // a long run's leases leave in parts
            DeferredFlushes.begin();
          }
          f = l.next(socketFramesRead);
        } while (f != null);
      } finally {
        DeferredFlushes.end();
      }
    }

    /**
     * The connection ended: the puts its process committed go in (a process killed after its put
     * returned still has its item delivered), and the block goes.
     */
    private void endLane() {
      PutLane l = lane;
      if (l == null) {
        return;
      }
      try {
        takeFromLane(l);
      } catch (RuntimeException e) {
        // a queue refused an item: what the connection's end would have met anyway
      } finally {
        lane = null;
        l.unlink();
      }
    }

    /** Unlinks the lanes' blocks as this JVM exits, without the reader, which may be stopped. */
    void unlinkLane() {
      PutLane l = lane;
      if (l != null) {
        l.unlink();
      }
      LeaseLane offered = offeredLeaseLane; // the open one too, once the client mapped it
      if (offered != null) {
        offered.unlink();
      }
    }

    /**
     * A client on this machine asked for a lane for its leases: makes one and says which (it is
     * written once the client says it mapped it), or says there will be none.
     */
    private void openLeaseLane() {
      if (offeredLeaseLane != null || tcpKey != null || line) {
        return; // asked twice (cannot be), or a client that cannot map this JVM's memory
      }
      long number = lanes.incrementAndGet();
      try {
        offeredLeaseLane = LeaseLane.create(number);
      } catch (RuntimeException e) {
        number = -1; // no room in shared memory: leases stay frames
      }
      send(Wire.LEASE_LANE, 0, 0, number, null);
    }

    /** The client mapped the lane for its leases: they go there from now on, those that fit. */
    private void leaseLaneReady() {
      synchronized (outgoing) {
        leaseLane = offeredLeaseLane;
      }
    }

    /**
     * The connection ended: no lease goes to the lane any more, and its block goes. What it held is
     * still leased to the process, and goes back to the queues with its other leases.
     */
    private void endLeaseLane() {
      synchronized (outgoing) {
        leaseLane = null;
      }
      LeaseLane offered = offeredLeaseLane;
      if (offered != null) {
        offered.unlink();
      }
    }

    /** A client asked for a lane: makes one and says which, or says there will be none. */
    private void openLane() {
      if (lane != null || tcpKey != null || line) {
        return; // asked twice (cannot be), or a client that cannot map this JVM's memory
      }
      long number = lanes.incrementAndGet();
      try {
        lane = PutLane.create(number);
      } catch (RuntimeException e) {
        number = -1; // no room in shared memory: its puts stay on the socket
      }
      send(Wire.LANE, 0, 0, number, null);
    }

    private void handle(Wire.Frame f) {
      if (line && !CallLine.carries(f.op())) {
        throw new IllegalStateException("a call line sent op " + f.op()); // ends the connection
      }
      switch (f.op()) {
        case Wire.NEW_HOSTED:
          hosting.create(f.payload(), f.object(), this, f.request());
          return;
        case Wire.INVOKE:
          hosting.invoke(f.object(), f.payload(), this, f.request());
          return;
        case Wire.USE:
          hosting.use(f.object(), this);
          return;
        case Wire.FREE_ALL:
          hosting.freeAll(f.object());
          send(Wire.OK, f.request(), f.object(), 0, null);
          return;
        case Wire.SYNC:
          send(Wire.OK, f.request(), f.object(), 0, null); // the frames before it are handled
          return;
        case Wire.LANE_OPEN:
          openLane();
          return;
        case Wire.LANE_WAKE:
          return; // the reader took what the lane held before it handled this frame
        case Wire.LEASE_LANE_OPEN:
          openLeaseLane();
          return;
        case Wire.LEASE_LANE_READY:
          leaseLaneReady();
          return;
        default:
          break;
      }
      HubSync sync = syncs.get(f.object());
      if (sync != null || Wire.isSync(f.op()) || f.op() == Wire.NEW_CONDITION) {
        handleSync(sync, f);
        return;
      }
      if (f.op() == Wire.RING_OPEN) {
        HubPipe p = pipes.get(f.object());
        boolean granted = p != null && p.openRing((int) f.value(), this) != null;
        send(granted ? Wire.VALUE : Wire.EMPTY, f.request(), f.object(), 0, null);
        return;
      }
      if (f.op() == Wire.ATTACH || f.op() == Wire.DETACH) {
        HubPipe p = pipes.get(f.object());
        if (p != null) {
          if (f.op() == Wire.ATTACH) {
            p.attach((int) f.value(), this);
          } else {
            p.detach((int) f.value(), this);
          }
        }
        return;
      }
      HubQueue q = queues.get(f.object());
      if (q == null) {
        if (f.op() != Wire.PUT_ASYNC
            && f.op() != Wire.ACK
            && f.op() != Wire.LEASE
            && f.op() != Wire.CLAIM
            && f.op() != Wire.GIVE_BACK
            && f.op() != Wire.ASK_FOR_PLACES
            && f.op() != Wire.GIVE_BACK_PLACES
            && f.op() != Wire.RING_RETIRE
            && f.op() != Wire.RING_WAKE
            && f.op() != Wire.RING_DRAIN) {
          error(f, "no queue " + f.object() + " in " + ref);
        }
        return;
      }
      if (f.payload() == Wire.NO_ROOM) {
        noRoom(f);
        return;
      }
      switch (f.op()) {
        case Wire.PUT:
          {
            Boolean accepted = q.put(f.payload(), f.value() == 1, this, f.request(), null);
            if (accepted != null) {
              send(accepted ? Wire.OK : Wire.EMPTY, f.request(), q.id, 0, null);
            }
            break;
          }
        case Wire.PUT_ASYNC:
          if (q.bounded()) {
            q.putIntoPlace(this, f.payload());
          } else {
            q.put(f.payload(), false, this, f.request(), null);
          }
          break;
        case Wire.ASK_FOR_PLACES:
          q.askForPlaces(this, (int) Math.min(Integer.MAX_VALUE, f.value()));
          break;
        case Wire.GIVE_BACK_PLACES:
          q.giveBackPlaces(this, (int) Math.min(Integer.MAX_VALUE, f.value()));
          break;
        case Wire.GET:
          {
            byte[] now = q.get(f.value() == 1, this, f.request(), null);
            if (now != null) { // the empty array: nothing there, and the getter would not wait
              send(Wire.EMPTY, f.request(), q.id, 0, null);
            }
            break;
          }
        case Wire.CANCEL:
          q.cancel(this, f.request(), null);
          break;
        case Wire.RING_RETIRE:
          q.retireRing();
          break;
        case Wire.RING_WAKE:
          q.ringWake();
          break;
        case Wire.RING_DRAIN:
          q.ringDrain();
          break;
        case Wire.BULK_OPEN:
          send(q.openBulk() != null ? Wire.VALUE : Wire.EMPTY, f.request(), q.id, 0, null);
          break;
        case Wire.ACK:
          q.ack(this, f.request());
          break;
        case Wire.NACK:
          q.nack(this, f.request());
          break;
        case Wire.LEASE:
          q.lease(
              this,
              f.request(),
              (int) Math.min(Integer.MAX_VALUE, f.value()),
              tcpKey == null && f.payload().length > 0); // a TCP client may be elsewhere
          break;
        case Wire.CLAIM:
          q.claim(this, f.request());
          break;
        case Wire.GIVE_BACK:
          q.giveBack(this, Wire.longs(f.payload()));
          break;
        case Wire.SIZE:
          send(Wire.VALUE, f.request(), q.id, q.size(), null);
          break;
        case Wire.UNFINISHED:
          send(Wire.VALUE, f.request(), q.id, q.unfinished(), null);
          break;
        case Wire.TASK_DONE:
          if (f.value() != 0) {
            q.taskDoneCounted(this); // the client counted its takes: no reply, never too many
            break;
          }
          try {
            q.taskDone(this);
            send(Wire.OK, f.request(), q.id, 0, null);
          } catch (IllegalStateException e) {
            error(f, e.getMessage());
          }
          break;
        case Wire.JOIN:
          if (q.join(this, f.request(), null)) {
            send(Wire.OK, f.request(), q.id, 0, null);
          }
          break;
        default:
          error(f, "unknown request " + f.op());
      }
    }

    private void handleSync(HubSync sync, Wire.Frame f) {
      if (f.op() == Wire.NEW_CONDITION) {
        try {
          send(Wire.VALUE, f.request(), f.object(), newCondition(f.object()), null);
        } catch (IllegalArgumentException e) {
          error(f, e.getMessage());
        }
      } else if (sync == null) {
        error(f, "no lock, semaphore, event or barrier " + f.object() + " in " + ref);
      } else if (f.op() == Wire.CANCEL) {
        sync.cancel(this, f.request());
      } else {
        sync.handle(this, f.op(), f.object(), f.request(), f.value(), f.payload());
      }
    }

    /** A request whose item this JVM's heap could not hold: refused, never queued. */
    private void noRoom(Wire.Frame f) {
      String message =
          "the hub's JVM (pid "
              + ref.pid()
              + ") has no heap for an item of "
              + f.value()
              + " bytes (its heap is at most "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB); nothing was queued. Give that JVM more heap (-Xmx), or send smaller items";
      if (f.op() == Wire.PUT_ASYNC) {
        // Never sent: a putter waits for the reply to an item this large (ASYNC_PUT_MAX_BYTES).
        System.getLogger("io.jfutures.multiprocessing").log(System.Logger.Level.WARNING, message);
      } else {
        error(f, message);
      }
    }

    private void error(Wire.Frame f, String message) {
      send(Wire.ERROR, f.request(), f.object(), 0, message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void enqueue(byte op, long request, long object, long value, byte[] payload) {
      if (dead) {
        return;
      }
      synchronized (outgoing) {
        if (op == Wire.LEASED
            && leaseLane != null
            && leaseLane.offer(framesQueued, object, request, payload)) {
          laneWritten.add(3 * Long.BYTES + payload.length);
          return; // in the client's lease lane, after the frames queued before it
        }
        framesQueued++;
        outgoing.add(new Wire.Frame(op, request, object, value, payload));
      }
    }

    @Override
    public void flush() {
      // One thread writes at a time, in queue order; one that finds another writing leaves its
      // frames to it (which checks again before it stops, so that none is left behind).
      while (!outgoing.isEmpty() && writing.compareAndSet(false, true)) {
        try {
          if (batch == null) {
            batch = new Wire.Batch();
          }
          for (Wire.Frame f = outgoing.poll(); f != null; f = outgoing.poll()) {
            if (!batch.add(f)) {
              batch.writeTo(this, out);
              if (!batch.add(f)) { // too large to gather: written alone, its payload as it is
                Wire.writeLocked(
                    this, out, f.op(), f.request(), f.object(), f.value(), f.payload());
              }
            }
          }
          batch.writeTo(this, out);
        } catch (IOException e) {
          // The process closed its end (it exited, or died): nothing more goes to it. The channel
          // stays open for the reader, which takes in what the process sent before it went (an
          // item it put just before it exited, say) and then meets end-of-file.
          dead = true;
          outgoing.clear();
        } finally {
          writing.set(false);
        }
      }
    }
  }
}
