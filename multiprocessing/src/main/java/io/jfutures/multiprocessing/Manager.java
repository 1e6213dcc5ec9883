package io.jfutures.multiprocessing;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.SerializableSupplier;
import io.jfutures.multiprocessing.internal.hub.HostedBackend;
import io.jfutures.multiprocessing.internal.hub.HostedSpec;
import io.jfutures.multiprocessing.internal.hub.HostedSpec.Kind;
import io.jfutures.multiprocessing.internal.hub.Hub;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A server that holds objects and hands out proxies to them: Python's {@code Manager()} and {@code
 * BaseManager}. Every process that holds a proxy (pass it to a {@link JvmProcess} or a pool task)
 * calls the same object, one round trip per call.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {             // with Manager() as manager:
 *   ManagedMap<String, Integer> d = manager.dict();     //   d = manager.dict()
 *   ManagedList<Integer> l = manager.list();            //   l = manager.list()
 *   new JvmProcess(() -> { d.put("a", 1); l.add(2); }).start().join();
 *   System.out.println(d + " " + l);                    // {a=1} [2]
 * }
 * }</pre>
 *
 * <p>It hosts Python's built-ins: {@link #dict()} (a {@link java.util.concurrent.ConcurrentMap}),
 * {@link #list()} (a {@link List}), {@link #namespace()}, {@link #value}; queues and every
 * synchronization primitive, made in its JVM; and objects of the types {@linkplain Builder#register
 * registered} before it starts, through their interface ({@link #create}). A method of a registered
 * type that returns an object of a registered type returns a proxy to it.
 *
 * <p><b>Where it runs.</b> {@link #start()} runs the server in a JVM of its own, as Python's does;
 * {@link Builder#inThisJvm()} runs it in this JVM, which saves a JVM start and a hop for this JVM's
 * own calls. Either way arguments and results are copied, as in Python.
 *
 * <p><b>When a process dies.</b> If the manager's JVM dies, or the manager is shut down, every call
 * on its proxies fails at once with {@link ManagerUnavailableException} (Python's fault F10: broken
 * pipes, for ever). When a client process dies, the locks it held in the manager are freed, with
 * {@link ProcessLock#ownerDied()} for the next holder, its waits are dropped, and the objects that
 * no live process made or used are freed (F11).
 *
 * <p>Thread-safe.
 */
public final class Manager implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final HubRef hub;
  private final long id;
  private final JvmProcess server; // null when it runs in this JVM, or is another program's
  private final ProcessEvent stop; // set to stop a server of its own
  private final HubRef tcp; // where other machines reach it, or null
  private final boolean connected; // another program's manager, reached over TCP
  private volatile boolean shutDown;

  private Manager(
      HubRef hub, long id, JvmProcess server, ProcessEvent stop, HubRef tcp, boolean connected) {
    this.hub = hub;
    this.id = id;
    this.server = server;
    this.stop = stop;
    this.tcp = tcp;
    this.connected = connected;
  }

  /**
   * Starts a manager in a JVM of its own, with no registered types: Python's {@code Manager()}.
   *
   * @return the started manager
   */
  public static Manager start() {
    return newBuilder().start();
  }

  /**
   * Connects to a manager that another program started and made reachable over TCP ({@link
   * Builder#listen}): Python's {@code BaseManager(address, authkey).connect()}. Its proxies work
   * from here, and from any process this one passes them to. {@link #shutdown()} then only lets go
   * of it: the manager serves on.
   *
   * @param address where the manager listens
   * @param authKey the authentication key the manager was given
   * @return a manager that stands for the remote one
   * @throws ManagerUnavailableException if nothing answers there, or it does not accept {@code
   *     authKey} (or does not prove that it has it), or it speaks TLS
   * @throws IllegalArgumentException if {@code authKey} is null or empty
   */
  public static Manager connect(InetSocketAddress address, byte[] authKey) {
    return connect(address, authKey, null);
  }

  /**
   * Connects to a manager that listens over TLS ({@link Builder#tls}), as {@link
   * #connect(InetSocketAddress, byte[])} does over plain TCP. Its certificate must be trusted by
   * the context {@code tls} makes, and name the host of {@code address} (as HTTPS checks it). Each
   * process that uses the manager's proxies makes its own context with {@code tls}, once: this one
   * now, a process this one passes a proxy to when it first uses it. Both sides still prove that
   * they have {@code authKey}.
   *
   * @param address where the manager listens
   * @param authKey the authentication key the manager was given
   * @param tls makes the TLS context, in every process that connects; null for plain TCP
   * @return a manager that stands for the remote one
   * @throws ManagerUnavailableException if nothing answers there, the TLS handshake fails, or
   *     either side does not prove that it has {@code authKey}
   * @throws IllegalArgumentException if {@code authKey} is null or empty
   */
  public static Manager connect(
      InetSocketAddress address, byte[] authKey, SerializableSupplier<? extends SSLContext> tls) {
    checkKey(authKey);
    Objects.requireNonNull(address, "address");
    HubRef ref =
        HubRef.tcp(
            tls != null || address.getAddress() == null
                ? address.getHostString() // TLS checks the name the certificate gives
                : address.getAddress().getHostAddress(),
            address.getPort(),
            authKey,
            -1,
            tls);
    try {
      HostedBackend.of(ref).ping();
    } catch (RuntimeException e) {
      throw new ManagerUnavailableException(
          "cannot connect to the manager at " + address + ": " + e.getMessage(), e);
    }
    return new Manager(ref, 0, null, null, ref, true);
  }

  private static void checkKey(byte[] authKey) {
    if (authKey == null || authKey.length == 0) {
      throw new IllegalArgumentException(
          "a manager reachable over TCP needs an authentication key: a secret both sides know");
    }
  }

  /**
   * Returns a builder, to register types and choose where the manager runs.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds a {@link Manager}: Python's {@code BaseManager} subclass with its registrations. */
  public static final class Builder {
    private final Map<String, Registration> registrations = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean inThisJvm;
    private InetSocketAddress listenAddress;
    private byte[] authKey;
    private SerializableSupplier<? extends SSLContext> tls;

    private Builder() {}

    /**
     * Registers {@code typeId}: {@link Manager#create} makes its objects in the manager with {@code
     * factory}, and returns proxies that implement {@code iface}: Python's {@code
     * BaseManager.register(typeid, callable)}. The objects are called from several processes at
     * once, as in Python: make them thread-safe.
     *
     * @param <T> the type of the proxies
     * @param typeId the name to register the type under
     * @param factory makes the objects, in the manager's JVM
     * @param iface the interface the proxies implement
     * @return this builder
     * @throws IllegalArgumentException if {@code iface} is not an interface, or {@code typeId} is
     *     registered already
     */
    public <T> Builder register(
        String typeId, SerializableSupplier<? extends T> factory, Class<T> iface) {
      Objects.requireNonNull(typeId, "typeId");
      Objects.requireNonNull(factory, "factory");
      if (!iface.isInterface()) {
        throw new IllegalArgumentException(
            iface.getName()
                + " is not an interface: a manager's proxies implement an interface, which the"
                + " hosted class implements");
      }
      if (registrations.putIfAbsent(typeId, new Registration(typeId, factory, iface)) != null) {
        throw new IllegalArgumentException("'" + typeId + "' is registered already");
      }
      return this;
    }

    /**
     * Runs the manager in this JVM rather than in one of its own.
     *
     * @return this builder
     */
    public Builder inThisJvm() {
      this.inThisJvm = true;
      return this;
    }

    /**
     * Makes the manager reachable from other programs and machines too, over TCP at {@code address}
     * (port 0: a free port; {@link Manager#address()} says which): Python's {@code
     * BaseManager(address, authkey)}. A client must prove that it has {@code authKey} (an HMAC
     * challenge; the key never travels) before the manager reads anything it sends, and the manager
     * proves the same to it. The traffic itself is encrypted only with {@link #tls}: without it,
     * use it on a network you trust.
     *
     * @param address where to listen; port 0 for a free port
     * @param authKey the key a client must prove it has; copied
     * @return this builder
     * @throws IllegalArgumentException if {@code authKey} is empty
     */
    public Builder listen(InetSocketAddress address, byte[] authKey) {
      checkKey(authKey);
      this.listenAddress = Objects.requireNonNull(address, "address");
      this.authKey = authKey.clone();
      return this;
    }

    /**
     * Makes the manager of {@link #listen} speak TLS, with the context {@code context} makes (in
     * the manager's JVM: a supplier travels there, an {@code SSLContext} could not), whose key
     * manager holds the manager's certificate. Clients connect with {@link
     * Manager#connect(InetSocketAddress, byte[], SerializableSupplier)}, and still prove that they
     * have the authentication key.
     *
     * @param context makes the TLS context, in the manager's JVM
     * @return this builder
     */
    public Builder tls(SerializableSupplier<? extends SSLContext> context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Adds options to the manager's own JVM ({@code -Xmx2g}, say).
     *
     * @param options the options to add
     * @return this builder
     */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Starts the manager.
     *
     * @return the started manager
     * @throws IllegalStateException if its JVM could not start
     */
    public Manager start() {
      if (tls != null && listenAddress == null) {
        throw new IllegalStateException(
            "tls(...) secures the TCP listener: call listen(address, authKey) too");
      }
      List<Registration> regs = List.copyOf(registrations.values());
      if (inThisJvm) {
        regs.forEach(Registration::registerHere);
        HubRef tcp =
            listenAddress == null ? null : Hub.local().listenTcp(listenAddress, authKey, tls);
        return new Manager(Hub.local().ref(), HostedBackend.newManagerId(), null, null, tcp, false);
      }
      ProcessQueue<HubRef> ready = new ProcessQueue<>();
      ProcessEvent stop = new ProcessEvent();
      JvmProcess server =
          new JvmProcess(new Serve(regs, ready, stop, listenAddress, authKey, tls))
              .name("jfutures-manager-" + ProcessHandle.current().pid())
              .daemon(true)
              .jvmOptions(jvmOptions.toArray(String[]::new))
              .servesCalls();
      server.start();
      try {
        HubRef ref = ready.poll(START_TIMEOUT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        HubRef tcp =
            ref == null || listenAddress == null
                ? null
                : ready.poll(START_TIMEOUT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        if (ref == null || (listenAddress != null && tcp == null)) {
          server.kill();
          throw new IllegalStateException(
              "the manager's JVM did not start within "
                  + START_TIMEOUT
                  + " (its standard error says why); exit code "
                  + server.exitCode());
        }
        return new Manager(ref, 0, server, stop, tcp, false);
      } catch (InterruptedException e) {
        server.kill();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the manager started", e);
      } finally {
        ready.close();
      }
    }
  }

  /**
   * A registered type, as it travels to the manager's JVM. A class, not a record: a cold JVM's
   * first record read costs tens of milliseconds of the manager's start.
   */
  private static final class Registration implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String typeId;
    private final SerializableSupplier<?> factory;
    private final Class<?> iface;

    Registration(String typeId, SerializableSupplier<?> factory, Class<?> iface) {
      this.typeId = typeId;
      this.factory = factory;
      this.iface = iface;
    }

    void registerHere() {
      HostedBackend.register(typeId, factory::get, iface);
    }
  }

  /** The manager's own JVM: registers the types, says where its hub is, and serves until told. */
  private static final class Serve implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf of serializable registrations
    private final List<Registration> registrations;

    private final ProcessQueue<HubRef> ready;
    private final ProcessEvent stop;
    private final InetSocketAddress listen;
    private final byte[] authKey;
    private final SerializableSupplier<? extends SSLContext> tls;

    Serve(
        List<Registration> registrations,
        ProcessQueue<HubRef> ready,
        ProcessEvent stop,
        InetSocketAddress listen,
        byte[] authKey,
        SerializableSupplier<? extends SSLContext> tls) {
      this.registrations = registrations;
      this.ready = ready;
      this.stop = stop;
      this.listen = listen;
      this.authKey = authKey;
      this.tls = tls;
    }

    @Override
    public void runChecked() throws Exception {
      registrations.forEach(Registration::registerHere);
      ready.put(Hub.local().ref());
      if (listen != null) {
        ready.put(Hub.local().listenTcp(listen, authKey, tls));
      }
      stop.await(); // the hub serves on its own threads; a daemon: it ends with its parent
    }
  }

  // ---- the built-ins --------------------------------------------------------------------------

  /**
   * Creates an empty map in the manager: Python's {@code manager.dict()}.
   *
   * @param <K> the type of the keys
   * @param <V> the type of the values
   * @return a proxy to the new map
   */
  public <K, V> ManagedMap<K, V> dict() {
    return dict(Map.of());
  }

  /**
   * Creates a map in the manager holding a copy of {@code initial}.
   *
   * @param <K> the type of the keys
   * @param <V> the type of the values
   * @param initial the entries to copy into the map
   * @return a proxy to the new map
   */
  public <K, V> ManagedMap<K, V> dict(Map<? extends K, ? extends V> initial) {
    return new ManagedMap<>(
        hub, initial.isEmpty() ? make(Kind.DICT) : make(Kind.DICT, new LinkedHashMap<>(initial)));
  }

  /**
   * Creates an empty list in the manager: Python's {@code manager.list()}.
   *
   * @param <E> the type of the elements
   * @return a proxy to the new list
   */
  public <E> ManagedList<E> list() {
    return list(List.of());
  }

  /**
   * Creates a list in the manager holding a copy of {@code initial}.
   *
   * @param <E> the type of the elements
   * @param initial the elements to copy into the list
   * @return a proxy to the new list
   */
  public <E> ManagedList<E> list(Collection<? extends E> initial) {
    return new ManagedList<>(
        hub, initial.isEmpty() ? make(Kind.LIST) : make(Kind.LIST, new ArrayList<>(initial)));
  }

  /**
   * Creates an array in the manager holding a copy of {@code initial}: Python's {@code
   * manager.Array(typecode, sequence)}. It is a list of fixed length: {@code get} and {@code set}
   * work, and what would change its length throws {@link UnsupportedOperationException}.
   *
   * @param <E> the type of the elements
   * @param initial the elements to copy into the array
   * @return a proxy to the new array
   */
  public <E> ManagedList<E> array(Collection<? extends E> initial) {
    return new ManagedList<>(hub, make(Kind.ARRAY, new ArrayList<>(initial)));
  }

  /**
   * Creates an array in the manager of {@code length} elements, each {@code fill}: Python's {@code
   * manager.Array('i', 10)} with {@code fill} 0.
   *
   * @param <E> the type of the elements
   * @param length the number of elements, 0 or more
   * @param fill the value of every element
   * @return a proxy to the new array
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public <E> ManagedList<E> array(int length, E fill) {
    if (length < 0) {
      throw new IllegalArgumentException("an array's length is 0 or more, not " + length);
    }
    return array(java.util.Collections.nCopies(length, fill));
  }

  /**
   * Creates an empty namespace in the manager: Python's {@code manager.Namespace()}.
   *
   * @return a proxy to the new namespace
   */
  public Namespace namespace() {
    return new Namespace(hub, make(Kind.NAMESPACE));
  }

  /**
   * Creates a value in the manager: Python's {@code manager.Value(typecode, initial)}.
   *
   * @param <T> the type of the value
   * @param initial the value to start with
   * @return a proxy to the new value
   */
  public <T> ManagedValue<T> value(T initial) {
    return new ManagedValue<>(hub, make(Kind.VALUE, initial));
  }

  /**
   * Creates an unbounded queue in the manager: Python's {@code manager.Queue()}.
   *
   * @param <E> the type of the items
   * @return a proxy to the new queue
   */
  public <E> ProcessQueue<E> queue() {
    return queue(0);
  }

  /**
   * Creates a queue of at most {@code maxSize} items (0: unbounded) in the manager.
   *
   * @param <E> the type of the items
   * @param maxSize the most items the queue holds, or 0 for no limit
   * @return a proxy to the new queue
   * @throws IllegalArgumentException if {@code maxSize} is negative
   */
  public <E> ProcessQueue<E> queue(int maxSize) {
    checkMaxSize(maxSize);
    return new ProcessQueue<>(hub, make(Kind.QUEUE, maxSize), maxSize);
  }

  /**
   * Creates a joinable queue in the manager: Python's {@code manager.JoinableQueue()}.
   *
   * @param <E> the type of the items
   * @param maxSize the most items the queue holds, or 0 for no limit
   * @return a proxy to the new queue
   * @throws IllegalArgumentException if {@code maxSize} is negative
   */
  public <E> JoinableProcessQueue<E> joinableQueue(int maxSize) {
    checkMaxSize(maxSize);
    return new JoinableProcessQueue<>(hub, make(Kind.JOINABLE_QUEUE, maxSize), maxSize);
  }

  /**
   * Creates a lock in the manager: Python's {@code manager.Lock()}.
   *
   * @return a proxy to the new lock
   */
  public ProcessLock lock() {
    return new ProcessLock(hub, make(Kind.LOCK), false);
  }

  /**
   * Creates a reentrant lock in the manager: Python's {@code manager.RLock()}.
   *
   * @return a proxy to the new lock
   */
  public ProcessReentrantLock rlock() {
    return new ProcessReentrantLock(hub, make(Kind.RLOCK));
  }

  /**
   * Creates a semaphore in the manager: Python's {@code manager.Semaphore(permits)}.
   *
   * @param permits the permits to start with, 0 or more
   * @return a proxy to the new semaphore
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public ProcessSemaphore semaphore(int permits) {
    return new ProcessSemaphore(
        hub, make(Kind.SEMAPHORE, ProcessSemaphore.checked(permits)), false);
  }

  /**
   * Creates a bounded semaphore in the manager: Python's {@code manager.BoundedSemaphore(n)}.
   *
   * @param permits the permits to start with, and the most it may hold; 0 or more
   * @return a proxy to the new semaphore
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public ProcessSemaphore boundedSemaphore(int permits) {
    return new ProcessSemaphore(
        hub, make(Kind.BOUNDED_SEMAPHORE, ProcessSemaphore.checked(permits)), true);
  }

  /**
   * Creates an event in the manager: Python's {@code manager.Event()}.
   *
   * @return a proxy to the new event
   */
  public ProcessEvent event() {
    return new ProcessEvent(hub, make(Kind.EVENT));
  }

  /**
   * Creates a condition of {@code lock}, which this manager made: Python's {@code
   * manager.Condition(lock)}.
   *
   * @param lock the condition's lock, made by this manager
   * @return a proxy to the new condition
   * @throws IllegalArgumentException if another manager or hub holds {@code lock}
   */
  public ProcessCondition condition(ProcessLock lock) {
    if (!lock.hub.equals(hub)) {
      throw new IllegalArgumentException(
          "the lock of a manager's condition must be that manager's: make it with manager.lock()"
              + " or manager.rlock()");
    }
    return new ProcessCondition(lock, make(Kind.CONDITION, lock.id));
  }

  /**
   * Creates a barrier in the manager: Python's {@code manager.Barrier(parties, action)}.
   *
   * @param parties the number of parties, at least 1
   * @param action what the last party to arrive runs, in its own process, before the others go on;
   *     or null
   * @return a proxy to the new barrier
   * @throws IllegalArgumentException if {@code parties} is less than 1, or more than 16,777,215
   */
  public ProcessBarrier barrier(int parties, SerializableRunnable action) {
    return new ProcessBarrier(
        hub, make(Kind.BARRIER, ProcessBarrier.checked(parties), action != null), parties, action);
  }

  /**
   * Creates a barrier in the manager: Python's {@code manager.Barrier(parties)}.
   *
   * @param parties the number of parties, at least 1
   * @return a proxy to the new barrier
   * @throws IllegalArgumentException if {@code parties} is less than 1, or more than 16,777,215
   */
  public ProcessBarrier barrier(int parties) {
    return barrier(parties, null);
  }

  // ---- registered types -----------------------------------------------------------------------

  /**
   * Creates an object of the type registered as {@code typeId} in the manager, and returns a proxy
   * to it: Python's {@code manager.TypeId()}.
   *
   * @param <T> the type of the proxy
   * @param typeId the name the type was registered under
   * @param iface the interface the type was registered with
   * @return a proxy to the new object
   * @throws IllegalArgumentException if no type is registered as {@code typeId}, or it was
   *     registered with another interface than {@code iface}
   */
  public <T> T create(String typeId, Class<T> iface) {
    HostedBackend.Created made = created(HostedSpec.registered(typeId));
    if (!iface.getName().equals(made.type())) {
      throw new IllegalArgumentException(
          "'" + typeId + "' was registered with " + made.type() + ", not " + iface.getName());
    }
    return iface.cast(HostedHandle.proxy(hub, made.id(), iface));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Returns where other programs reach the manager over TCP ({@link Builder#listen}, or the address
   * {@link #connect} was given).
   *
   * @return the manager's TCP address
   * @throws IllegalStateException if it does not listen on TCP
   */
  public InetSocketAddress address() {
    if (tcp == null) {
      throw new IllegalStateException(
          "this manager is reachable only from this machine's processes: start it with"
              + " Manager.newBuilder().listen(address, authKey)");
    }
    return tcp.tcpAddress();
  }

  /**
   * Whether the manager serves: not shut down, and its JVM (if it has one) alive.
   *
   * @return whether the manager serves
   */
  public boolean isAlive() {
    if (shutDown) {
      return false;
    }
    if (connected) {
      try {
        HostedBackend.of(hub).ping();
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return server == null || server.isAlive();
  }

  /**
   * Stops the manager: Python's {@code shutdown()}. Its objects are freed, and every later call on
   * their proxies fails with {@link ManagerUnavailableException}. A manager of its own JVM waits
   * for that JVM to exit (killing it after a minute). Calling it twice does nothing.
   */
  public void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    if (connected) {
      return; // another program's manager: it serves on
    }
    if (server == null) {
      HostedBackend.of(hub).freeAll(id);
      return;
    }
    try {
      if (server.isAlive()) {
        stop.set();
      }
      if (!server.join(START_TIMEOUT)) {
        server.kill();
        server.join();
      }
    } catch (InterruptedException e) {
      server.kill();
      Thread.currentThread().interrupt();
    } catch (HubUnavailableException e) {
      // cannot be: the stop event is this JVM's
    }
  }

  /** Shuts the manager down, as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "Manager["
        + (connected ? "at " + address() : server == null ? "in this JVM" : "pid " + server.pid())
        + (shutDown ? ", shut down" : "")
        + "]";
  }

  /**
   * Makes an object of {@code kind} in the manager. An empty dict or list travels without its
   * collection: the manager's JVM then deserializes no collection class for its first one.
   */
  private long make(Kind kind, Object... args) {
    return created(HostedSpec.of(kind, args)).id();
  }

  private HostedBackend.Created created(HostedSpec spec) {
    if (shutDown) {
      throw new ManagerUnavailableException("the manager was shut down", null);
    }
    try {
      return HostedBackend.of(hub).create(id, spec);
    } catch (RuntimeException e) {
      throw HostedHandle.unavailable(e);
    }
  }

  private static void checkMaxSize(int maxSize) {
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must be 0 (unbounded) or more: " + maxSize);
    }
  }
}
