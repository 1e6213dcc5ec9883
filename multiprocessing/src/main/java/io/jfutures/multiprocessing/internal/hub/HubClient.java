package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.multiprocessing.HubUnavailableException;
import io.jfutures.multiprocessing.internal.MappingWarmUp;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This process's one connection to another JVM's hub, shared by every handle of that hub's objects
 * and every thread. Requests are written by the calling thread under a lock; a reader thread
 * matches each reply to its request, and acknowledges an item the moment it arrives, so that the
 * hub takes back what a process never saw if it dies.
 *
 * <pre>
 * States: CONNECTED -> LOST (end-of-file or a failed write: the hub's JVM died, or the connection
 * broke). LOST fails every pending request with HubUnavailableException and leaves the cache: the
 * next request connects anew, and fails at once if the hub is gone.
 * CONNECTED -> CLOSED (this JVM is exiting: closeAll as a child's work ends, closeIdle in a
 * shutdown hook; only after SYNC says the hub has handled what was sent): out of the cache at
 * once, then as LOST, its exception naming the close. A later request connects anew, and so does a
 * request of a thread that took this client from the cache just before (a shutdown hook's, racing
 * closeIdle): closed under the write lock, the client refuses its write, and the request is made
 * again on a new connection, at most {@link #REDISPATCHES} times. One that passes frames to the
 * hub after its request ({@code afterWrite}) fails instead, naming the close.
 * </pre>
 *
 * Each request has exactly one final reply. A caller that stops waiting (timeout, interrupt) sends
 * CANCEL and still waits for that reply: CANCELLED, or what was sent before the cancel arrived (an
 * item is then returned, never dropped).
 *
 * <p>Items the hub leases to this process ahead of its gets travel in its {@link LeaseLane} once it
 * has one (a client on this machine, from its first window of leases on), in order with the frames:
 * the reader takes what the lane holds before it handles each frame, and a get that finds nothing
 * held takes what is there itself.
 *
 * <p>A manager's calls to a hub on this machine go instead on {@link CallLine}s, up to {@link
 * #MAX_LINES} of them, where the caller reads its own reply; when all are in use, on this
 * connection. LOST closes the idle ones, and each in use when its call ends.
 */
final class HubClient {
  private static final Map<HubRef, HubClient> CLIENTS = new ConcurrentHashMap<>();

  private final HubRef ref;
  private final HubLink link;
  private final OutputStream out;
  private final AtomicLong requests = new AtomicLong();
  private final Map<Long, CompletableFuture<Wire.Frame>> pending = new ConcurrentHashMap<>();
  private final Map<Long, Leases> leases = new ConcurrentHashMap<>();
  private final Map<Long, Places> places = new ConcurrentHashMap<>();

  /** The pipe directions whose hub said HOLD and not yet ROOM: puts into them may wait. */
  private final Set<Long> held = ConcurrentHashMap.newKeySet();

  /** The pipe directions whose hub said PIPE_BROKEN: their receiving end is gone, puts fail. */
  private final Set<Long> broken = ConcurrentHashMap.newKeySet();

  private volatile HubUnavailableException lost;

  /** Set, under this client's lock, when this JVM's exit closed it: see CLOSED above. */
  private volatile boolean closedForExit;

  /** The lane for this process's small puts, once the hub gave one ({@link PutLane}). */
  private volatile PutLane lane;

  /** The frames written on the socket; a lane's record carries it. Guarded by this. */
  private long socketFrames;

  /** The puts sent on the socket, until a lane is asked for. Guarded by this. */
  private int socketPuts;

  /** The lane of the items the hub leases to this process, once mapped ({@link LeaseLane}). */
  private volatile LeaseLane leaseLane;

  /** Whether this client asked for a lease lane: once, with its first window of leases. */
  private final AtomicBoolean leaseLaneAsked = new AtomicBoolean();

  /**
   * The frames the reader handled, written by it alone after each: a lease lane's record is taken
   * only once the frames before it are handled. Every record counted at most the frames handled
   * before the reader's next frame is taken by the reader before that frame (holding {@link
   * #leaseTaking}), so a get that reads an older count takes nothing out of order.
   */
  private volatile long framesHandled;

  /** Held by whoever takes from the lease lane: the reader, or a get. */
  private final Object leaseTaking = new Object();

  /** How many times a request that met a connection closed for exit is made again. */
  static final int REDISPATCHES = 3;

  /**
   * The most call lines a client opens: one per thread calling at once, as Python's proxies have a
   * connection per thread, but no more than there are CPUs to run the callers (at least 2, at most
   * 8): each line is a thread in the hub's JVM. More callers share this connection.
   */
  static final int MAX_LINES = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

  private final Deque<CallLine> idleLines = new ConcurrentLinkedDeque<>();
  private final AtomicInteger lineCount = new AtomicInteger(); // open or opening, idle or in use

  /** The number by which the hub knows this process: its pid, or what a TCP hub gave it. */
  private long process = LockWords.pid();

  private HubClient(HubRef ref, HubLink link) {
    this.ref = ref;
    this.link = link;
    this.out = link.out();
  }

  /** Returns the connection to {@code ref}'s hub, connecting on first use. */
  static HubClient of(HubRef ref) {
    HubClient c = CLIENTS.get(ref);
    if (c != null && c.lost == null) {
      return c;
    }
    synchronized (CLIENTS) {
      c = CLIENTS.get(ref);
      if (c == null || c.lost != null) {
        c = connect(ref);
        CLIENTS.put(ref, c);
      }
      return c;
    }
  }

  /** The hubs a connection was made ahead for, once each: see {@link #connectAhead}. */
  private static final Set<HubRef> AHEAD = ConcurrentHashMap.newKeySet();

  /** The connections being made ahead now: see {@link #afterConnectAhead}. */
  private static final Map<HubRef, ConnectAhead> CONNECTING = new ConcurrentHashMap<>();

  /**
   * Connects to {@code ref}'s hub on a thread of its own, once, if it is another JVM's on this
   * machine and there is no connection to it yet: called as a handle is read, so that a child whose
   * launch names a queue finds the connection made (or being made) at its first request instead of
   * making it then. That first connection is the JVM's first Unix-domain socket, and the JDK's
   * set-up of it seeds a {@code SecureRandom} (about 10 ms of a child's start, with the class
   * archive); meanwhile the child decodes the rest of its launch and prepares to run. A connection
   * that fails here is made again, and reports why, at the first request.
   */
  static void connectAhead(HubRef ref) {
    if (ref.isTcp() || CLIENTS.containsKey(ref) || Hub.localIfIs(ref) != null || !AHEAD.add(ref)) {
      return;
    }
    ConnectAhead ahead = new ConnectAhead(ref);
    CONNECTING.put(ref, ahead);
    try {
      Threads.newDaemonInRootGroup(ahead, "jfutures-hub-connect-ahead").start();
    } catch (OutOfMemoryError | RuntimeException e) {
      ahead.finish(); // no thread: the first request connects, as without it
    }
  }

  /**
   * Runs {@code step} on the thread that is connecting ahead to {@code ref}'s hub, once it has
   * connected, and returns true; returns false if no connection to it is being made ahead now (or
   * it failed), and then {@code step} never runs. For work that only saves a first use its wait (a
   * handle's words in shared memory, fetched as the handle is read): a step that throws is
   * forgotten, and the first use does the work again and reports why it fails.
   */
  static boolean afterConnectAhead(HubRef ref, Runnable step) {
    ConnectAhead ahead = CONNECTING.get(ref);
    return ahead != null && ahead.offer(step);
  }

  /**
   * {@link #connectAhead}'s thread: a class, not a lambda ({@link #coldStart}).
   *
   * <pre>
   * States: CONNECTING (steps offered are queued) -> RUNNING STEPS (connected; steps offered
   * meanwhile run too) -> FINISHED (no step left, or the connection failed: offers are refused,
   * queued steps dropped).
   * </pre>
   */
  static final class ConnectAhead implements Runnable {
    private final HubRef ref;
    private final Deque<Runnable> steps = new ArrayDeque<>(); // guarded by this
    private boolean finished; // guarded by this

    ConnectAhead(HubRef ref) {
      this.ref = ref;
    }

    synchronized boolean offer(Runnable step) {
      if (finished) {
        return false;
      }
      steps.add(step);
      return true;
    }

    /** The next step, or null once none is left (and then it takes no more). */
    private synchronized Runnable next() {
      Runnable step = steps.poll();
      if (step == null) {
        finish();
      }
      return step;
    }

    synchronized void finish() {
      finished = true;
      steps.clear();
      CONNECTING.remove(ref, this);
    }

    @Override
    public void run() {
      try {
        of(ref);
        for (Runnable step = next(); step != null; step = next()) {
          try {
            step.run();
          } catch (RuntimeException e) {
            // ahead of time only: the first use does it again, and says why it fails
          }
        }
      } catch (RuntimeException e) {
        // the first request connects again, and says why it could not
      } finally {
        finish();
      }
    }
  }

  static {
    ChildSide.beforeExit(new Close(true));
    Runtime.getRuntime().addShutdownHook(new Thread(new Close(false), "jfutures-hub-client-exit"));
  }

  /**
   * {@link #closeAll} as a child exits, or {@link #closeIdle} in a shutdown hook: a class, not a
   * lambda ({@link #coldStart}).
   */
  private static final class Close implements Runnable {
    private final boolean all;

    Close(boolean all) {
      this.all = all;
    }

    @Override
    public void run() {
      if (all) {
        closeAll();
      } else {
        closeIdle();
      }
    }
  }

  /**
   * Closes this JVM's connections to hubs; in a child, when it exits with its work done (a
   * process's target returned, a worker retired: {@link ChildSide#beforeExit}): a JVM exits only
   * after waiting up to 300 ms for its threads blocked in a read (HotSpot waits that long for
   * threads in native code), and each connection's reader is one. What this process put is the
   * hub's already; what was leased to it and not taken goes back to its queue, as at its death. A
   * later request (a shutdown hook's) connects anew.
   */
  static void closeAll() {
    synchronized (CLIENTS) {
      for (HubClient c : CLIENTS.values()) {
        c.awaitHandled(CLOSE_SYNC_NANOS);
        c.close("as this process's work ended");
      }
      CLIENTS.clear();
    }
  }

  /**
   * In a shutdown hook (a process that called {@code System.exit}, a JVM that uses another's hub):
   * closes, as {@link #closeAll} does, each connection that no request waits on and that holds no
   * leased item, for HotSpot's 300 ms. It runs beside the application's hooks: a hook's later
   * request connects anew; one written at the very moment its connection closes fails with {@link
   * HubUnavailableException}. A connection in use is left for the exit to close.
   */
  static void closeIdle() {
    for (HubClient c : CLIENTS.values()) {
      if (!c.idle()) {
        continue;
      }
      c.awaitHandled(CLOSE_SYNC_NANOS); // outside the lock: the reader writes ACKs under it
      synchronized (c) { // every write holds it: none is written while this one closes
        if (c.idle()) {
          CLIENTS.remove(c.ref, c);
          c.close("as this JVM exits");
        }
      }
    }
  }

  /**
   * Closes the connection, as this JVM exits: its reader ends, and fails whatever was still pending
   * with why; a request that has not been written yet goes on a new connection. Under the write
   * lock, so that a write either went out before or sees it.
   */
  private synchronized void close(String why) {
    closedForExit = true;
    lost = new HubUnavailableException("the connection to the " + ref + " was closed " + why, null);
    link.close();
  }

  /**
   * Thrown by {@link #write} on a connection closed for this JVM's exit: the request is made again
   * on a new one. Carries no stack: it never leaves this class.
   */
  private static final class ClosedForExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClosedForExit() {
      super(null, null, false, false);
    }
  }

  /** The client of {@code ref} after this one was closed for exit: a request's next try. */
  private HubClient next(int attempt) {
    if (attempt >= REDISPATCHES) {
      throw lost; // the exit keeps closing connections: say so
    }
    return of(ref);
  }

  private boolean idle() {
    if (lost != null || !pending.isEmpty()) {
      return false;
    }
    for (Leases l : leases.values()) {
      if (!l.holdsNone()) {
        return false;
      }
    }
    return true;
  }

  /** How long {@link #closeAll} waits for a hub to handle what was sent: a busy hub's moment. */
  private static final long CLOSE_SYNC_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Waits, at most {@code timeoutNanos}, until the hub has handled every frame this client sent
   * ({@link Wire#SYNC}), so that what this process put is in its queues before anything it puts on
   * a connection of its own later: the hub reads each connection on a thread of its own. Never
   * cancels (a cancel waits for its reply): a hub that does not answer in time, or is gone, is
   * left.
   */
  private void awaitHandled(long timeoutNanos) {
    if (lost != null) {
      return;
    }
    long request = requests.incrementAndGet();
    CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
    pending.put(request, reply);
    try {
      write(Wire.SYNC, request, 0, 0, null);
      reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (HubUnavailableException | ExecutionException | TimeoutException e) {
      // gone, or too slow: the connection is closed all the same
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pending.remove(request);
    }
  }

  /** Whether this JVM has a live connection to {@code ref}'s hub; never connects. */
  static boolean connected(HubRef ref) {
    HubClient c = CLIENTS.get(ref);
    return c != null && c.lost == null;
  }

  private static HubClient connect(HubRef ref) {
    HubLink link = null;
    try {
      HubClient c;
      if (ref.isTcp()) {
        link =
            HubLink.tcp(
                ref.tcpAddress(),
                ref.isTls()
                    ? HubLink.context(ref.tls(), "the TLS context supplier for the " + ref)
                    : null,
                HmacHandshake.DEADLINE_MILLIS);
        c = new HubClient(ref, link);
        c.process = HmacHandshake.client(link.in(), c.out, ref.key());
        link.ready();
      } else {
        Hub.awaitListening(ref); // this JVM's own hub, for the class archive's training
        link = HubLink.unix(Path.of(ref.socket()));
        c = new HubClient(ref, link);
        c.out.write((ref.token() + "\n").getBytes(StandardCharsets.US_ASCII));
        // Then this process's pid: the hub reads a lock's holder from its word by pid.
        c.out.write(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(c.process).array());
      }
      Threads.newDaemonInRootGroup(c::readReplies, "jfutures-hub-client").start();
      return c;
    } catch (HmacHandshake.Refused e) {
      link.close();
      throw new HubUnavailableException("the " + ref + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (link != null) {
        link.close();
      }
      throw new HubUnavailableException(
          "the "
              + ref
              + " cannot be reached ("
              + (ref.isTls()
                  ? "nothing listens there, or the TLS handshake failed: is its certificate"
                      + " trusted here, and does it name the host connected to?"
                  : "its JVM has probably exited")
              + "): "
              + e,
          e);
    }
  }

  /**
   * What a cold JVM's first request would do on its caller's thread, done on the reader's, which
   * waits for the first reply anyway: {@code CompletableFuture}'s class initialization (and {@code
   * ForkJoinPool}'s), about a millisecond. A child's first get from a queue (a gate it waits at)
   * ran 5-6 ms of its thread before the request was even written, on such one-time work and on
   * linking the lambdas of its path; those are classes now ({@link Cancel}, {@link AskForLeases},
   * {@code QueueBackend}'s {@code ActivateLeases}, {@code Wire.writeLocked}).
   */
  private static void coldStart() {
    CompletableFuture.completedFuture(null);
  }

  /** Handles one frame from the hub, on the reader. */
  private void handle(Wire.Frame f) {
    if (f.op() == Wire.LEASE_LANE) {
      onLeaseLane(f.value());
      return;
    }
    if (f.op() == Wire.CLAIM_WORD || f.op() == Wire.DONE_WORD || f.op() == Wire.FULL_WORD) {
      onWord(f);
      return;
    }
    if (f.op() == Wire.PLACES) {
      places(f.object()).add((int) f.value());
      return;
    }
    if (f.op() == Wire.LANE) {
      onLane(f.value());
      return;
    }
    if (f.op() == Wire.RECALL_PLACES) {
      int back = places(f.object()).giveBack();
      if (back > 0) {
        write(Wire.GIVE_BACK_PLACES, 0, f.object(), back, null);
      }
      return;
    }
    if (f.op() == Wire.HOLD) {
      held.add(f.object());
      return;
    }
    if (f.op() == Wire.ROOM) {
      held.remove(f.object());
      return;
    }
    if (f.op() == Wire.PIPE_BROKEN) {
      // Told unasked, or in answer to a put (which may wait for it, below): puts fail now.
      broken.add(f.object());
      held.remove(f.object());
    }
    if (f.op() == Wire.LEASED || f.op() == Wire.RECALL) {
      onLease(f); // not replies: their request numbers are the hub's own
      return;
    }
    if (f.op() == Wire.ITEM && f.payload() == Wire.NO_ROOM) {
      // It goes back to the queue's front, and the getter learns why it got nothing.
      write(Wire.NACK, f.request(), f.object(), 0, null);
      f = noRoom(f);
    } else if (f.op() == Wire.ITEM) {
      // Acknowledged before anyone sees it: a process that dies after this has it.
      write(Wire.ACK, f.request(), f.object(), 0, null);
    }
    CompletableFuture<Wire.Frame> waiting = pending.remove(f.request());
    if (waiting != null) {
      waiting.complete(f);
    }
  }

  private void readReplies() {
    coldStart();
    Exception cause = null;
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(link.in(), 64 * 1024));
      for (Wire.Frame f = Wire.read(in); f != null; f = Wire.read(in)) {
        LeaseLane l = leaseLane;
        if (l != null) {
          synchronized (leaseTaking) {
            takeLeased(l); // what the hub leased before it queued this frame
          }
        }
        handle(f);
        framesHandled = framesHandled + 1; // this thread's alone: no lock on every frame
      }
    } catch (IOException e) {
      cause = e;
    } catch (HubUnavailableException e) {
      // One of this reader's own writes (an ACK, a give-back) failed: the connection broke, or
      // this JVM's exit closed it while frames were still in the buffer. The hub takes back what
      // was not acknowledged; what waits here fails below, as at end-of-file, and this thread ends
      // quietly instead of dying with the pending requests left waiting.
      cause = e;
    }
    HubUnavailableException closed = lost; // set by closeAll or closeIdle, which closed it here
    HubUnavailableException gone =
        closed != null
            ? closed
            : new HubUnavailableException(
                "the "
                    + ref
                    + " is gone (its JVM exited or was killed)"
                    + (cause == null ? "" : ": " + cause),
                cause);
    lost = gone;
    // Loops, not lambdas, here and below: a child runs this as it exits, and a cold JVM would link
    // each lambda then.
    for (CallLine line : idleLines) {
      line.close(); // one in use is closed as its caller gives it back
    }
    leases.clear();
    places.clear();
    held.clear();
    link.close();
    for (CompletableFuture<Wire.Frame> f : pending.values()) {
      f.completeExceptionally(gone);
    }
    pending.clear();
  }

  /** Returns the number by which the hub knows this process. */
  long process() {
    return process;
  }

  /**
   * Whether the hub said that pipe direction {@code queue} is full (HOLD, and no ROOM since): a put
   * into it then waits for its reply, which comes when there is room.
   */
  boolean held(long queue) {
    return !held.isEmpty() && held.contains(queue); // no boxing on every put of the usual case
  }

  /** Whether the hub said that pipe direction {@code queue}'s receiving end is gone. */
  boolean broken(long queue) {
    return !broken.isEmpty() && broken.contains(queue);
  }

  /** Returns the places this process holds in bounded queue {@code queue}. */
  Places places(long queue) {
    return places.computeIfAbsent(queue, q -> new Places());
  }

  /** Asks for the window of places in bounded queue {@code queue}, once. */
  void askForPlaces(long queue, Places p) {
    p.askOnce(() -> write(Wire.ASK_FOR_PLACES, 0, queue, Places.WINDOW, null));
  }

  /** Returns this process's leases of queue {@code queue}. */
  Leases leases(long queue) {
    Leases l = leases.get(queue); // no lambda on a child's first get: see coldStart
    if (l == null) {
      Leases made = new Leases();
      l = leases.putIfAbsent(queue, made);
      if (l == null) {
        l = made;
      }
    }
    return l;
  }

  private void onLease(Wire.Frame f) {
    long queue = f.object();
    Leases l = leases(queue);
    if (f.op() == Wire.RECALL) {
      l.recall(f.request(), new GiveBack(this, queue));
    } else if (f.payload() == Wire.NO_ROOM) {
      // No heap for it here: no more leases, and all go back; a get then says why.
      l.refuse(
          f.request(),
          (recalls, window) -> write(Wire.LEASE, recalls, queue, window, null),
          new GiveBack(this, queue));
    } else {
      l.add(f.request(), f.payload());
    }
  }

  /**
   * Gives leased items of a queue back to the hub: a class, not a lambda, which a cold JVM would
   * link at a child's first recall, on the reader that every reply waits for.
   */
  private static final class GiveBack implements Consumer<long[]> {
    private final HubClient client;
    private final long queue;

    GiveBack(HubClient client, long queue) {
      this.client = client;
      this.queue = queue;
    }

    @Override
    public void accept(long[] leases) {
      client.write(Wire.GIVE_BACK, 0, queue, 0, Wire.payload(leases));
    }
  }

  /**
   * The hub's claim word, done word or full word for a queue's leases (the frame says which). If
   * this process cannot map it, its gets send CLAIM frames, or its taskDone calls TASK_DONE frames,
   * which the hub takes all the same. Mapped off this reader when the JVM's first map is still to
   * be made ({@link MappingWarmUp#afterWarmUp}): on JDK 25 that map cost 20-28 ms, and the leased
   * items and the reply behind the word waited for it (a consumer's third take, 38-57 ms against
   * 7-16 on JDK 17). Until a word is mapped its gets and taskDone calls send frames. The words of a
   * queue are mapped in the order given, the claim word last (the hub sends it last).
   */
  private void onWord(Wire.Frame f) {
    MappingWarmUp.afterWarmUp(new AttachWord(leases(f.object()), f));
  }

  /** Maps a word the hub gave and hands it to the queue's leases: a class, not a lambda. */
  private static final class AttachWord implements Runnable {
    private final Leases leases;
    private final Wire.Frame frame;

    AttachWord(Leases leases, Wire.Frame frame) {
      this.leases = leases;
      this.frame = frame;
    }

    @Override
    public void run() {
      LockWords.Word word;
      try {
        word =
            LockWords.attach(
                new String(frame.payload(), StandardCharsets.US_ASCII), (int) frame.value());
      } catch (RuntimeException e) {
        return; // no shared memory here after all: frames, as the hub allows
      }
      if (frame.op() == Wire.CLAIM_WORD) {
        leases.claimIn(word);
      } else if (frame.op() == Wire.FULL_WORD) {
        leases.fullIn(word);
      } else {
        leases.doneIn(word);
      }
    }
  }

  /** Asks for the window of leases of {@code queue}, unless asked for since the last recall. */
  void activateLeases(long queue, Leases l) {
    // A client of a TCP hub may be on another machine: its claims go as frames.
    byte[] claims = ref.isTcp() ? null : Wire.CLAIMS_IN_MEMORY;
    l.activate(new AskForLeases(queue, claims));
    if (claims != null && ref.pid() != process && leaseLaneAsked.compareAndSet(false, true)) {
      write(Wire.LEASE_LANE_OPEN, 0, 0, 0, null); // not this JVM's own hub (training)
    }
  }

  /**
   * The hub made lane {@code number} for this process's leases (or none, if negative): mapped as a
   * word is ({@link #onWord}), then the hub is told, and writes leases there from then on.
   */
  private void onLeaseLane(long number) {
    if (number >= 0) {
      MappingWarmUp.afterWarmUp(new AttachLeaseLane(this, number));
    }
  }

  /** Maps the lease lane and tells the hub: a class, not a lambda, as {@link AttachWord}. */
  private static final class AttachLeaseLane implements Runnable {
    private final HubClient client;
    private final long number;

    AttachLeaseLane(HubClient client, long number) {
      this.client = client;
      this.number = number;
    }

    @Override
    public void run() {
      try {
        client.leaseLane = LeaseLane.attach(client.ref.pid(), number);
      } catch (RuntimeException e) {
        return; // cannot map it: leases stay frames
      }
      try {
        client.write(Wire.LEASE_LANE_READY, 0, 0, 0, null);
      } catch (RuntimeException e) {
        // the connection is gone: so are its leases
      }
    }
  }

  /**
   * Takes what the lease lane holds that the frames handled so far allow, into the queues' leases,
   * as the reader would have from LEASED frames; returns whether it took any. For a get that finds
   * none held: they may be there.
   */
  boolean takeLeased() {
    LeaseLane l = leaseLane;
    if (l == null) {
      return false;
    }
    synchronized (leaseTaking) {
      return takeLeased(l);
    }
  }

  /** Whether this process has a lease lane, where a get may watch for its items. */
  boolean hasLeaseLane() {
    return leaseLane != null;
  }

  /**
   * Says that a get watches the lease lane ({@code true}): the hub writes leases there meanwhile;
   * or that it no longer does (another get of this process may still watch, and then has its leases
   * in frames: as correct, only slower).
   */
  void watchLeases(boolean watching) {
    LeaseLane l = leaseLane;
    if (l != null) {
      l.watched(watching);
    }
  }

  private boolean takeLeased(LeaseLane l) {
    boolean took = false;
    for (Wire.Frame f = l.next(framesHandled); f != null; f = l.next(framesHandled)) {
      onLease(f);
      took = true;
    }
    return took;
  }

  /** Writes a LEASE frame: a class, not a lambda, as {@link #coldStart} says. */
  private final class AskForLeases implements Leases.LeaseRequest {
    private final long queue;
    private final byte[] claims;

    AskForLeases(long queue, byte[] claims) {
      this.queue = queue;
      this.claims = claims;
    }

    @Override
    public void send(long recallsSeen, int window) {
      write(Wire.LEASE, recallsSeen, queue, window, claims);
    }
  }

  /** Says that a get took the leased item of {@code lease}; before anyone sees it. */
  void claim(long queue, long lease) {
    check();
    write(Wire.CLAIM, lease, queue, 0, null);
  }

  private static Wire.Frame noRoom(Wire.Frame f) {
    String message =
        "this JVM's heap (at most "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB) has no room for an item of "
            + f.value()
            + " bytes; it stays in the queue. Give this JVM more heap (-Xmx, or"
            + " JvmProcess.jvmOptions(\"-Xmx...\") for a child)";
    return new Wire.Frame(
        Wire.ERROR, f.request(), f.object(), 0, message.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a request that gets no reply. */
  void send(byte op, long object, long value, byte[] payload) {
    HubClient c = this;
    for (int attempt = 0; ; c = c.next(++attempt)) {
      try {
        c.checkOpen();
        if (op == Wire.PUT_ASYNC) {
          c.putAsync(object, payload);
        } else {
          c.writeRequest(op, c.requests.incrementAndGet(), object, value, payload);
        }
        return;
      } catch (ClosedForExit e) {
        // closed as this JVM exits, just before the write: again on a new connection
      }
    }
  }

  /**
   * A put without a reply: into the lane, if there is one and it takes it, else on the socket; a
   * producer's {@link PutLane#ASK_AFTER}-th put on the socket asks for a lane. Under the write
   * lock, which orders the lane's records and the socket's frames ({@link PutLane}).
   */
  private synchronized void putAsync(long queue, byte[] item) {
    if (closedForExit) {
      throw new ClosedForExit();
    }
    PutLane l = lane;
    if (l != null && lost == null) {
      PutLane.Offer o = l.offer(socketFrames, queue, item);
      if (o == PutLane.Offer.TAKEN_WAKE) {
        write(Wire.LANE_WAKE, 0, 0, 0, null);
      }
      if (o != PutLane.Offer.SOCKET) {
        return;
      }
    }
    write(Wire.PUT_ASYNC, requests.incrementAndGet(), queue, 0, item);
    if (++socketPuts == PutLane.ASK_AFTER && !ref.isTcp() && ref.pid() != process) {
      write(Wire.LANE_OPEN, 0, 0, 0, null); // not this JVM's own hub (training), nor a TCP one
    }
  }

  /** The hub gave lane {@code number} (or none, if negative): later puts may go there. */
  private void onLane(long number) {
    if (number >= 0) {
      try {
        lane = PutLane.attach(ref.pid(), number);
      } catch (RuntimeException e) {
        // cannot map it: puts stay on the socket
      }
    }
  }

  /**
   * Sends a request and waits for its final reply, at most {@code timeoutNanos} if it is not
   * negative; then cancels it and waits for the reply to the cancel.
   *
   * @throws InterruptedException if interrupted while waiting and the reply is CANCELLED
   * @throws HubUnavailableException if the hub is gone
   */
  Wire.Frame call(byte op, long object, long value, byte[] payload, long timeoutNanos)
      throws InterruptedException {
    return call(op, object, value, payload, timeoutNanos, null);
  }

  /**
   * Sends a request and waits for its reply however long, never cancelling it: an interrupt
   * meanwhile is kept for later. For a manager's calls, which the hub answers at once: on a call
   * line if one is free, where the caller reads its own reply (M3, a parent's call to a manager in
   * a JVM of its own: 43-47 -> 37-40 us, alternating runs); else here, where the caller watches for
   * the reply a moment before it parks ({@link Replies#watchPrompt}).
   *
   * @throws HubUnavailableException if the hub is gone
   */
  Wire.Frame callToTheEnd(byte op, long object, byte[] payload) {
    HubClient c = this;
    for (int attempt = 0; ; c = c.next(++attempt)) {
      try {
        return c.callToTheEndHere(op, object, payload);
      } catch (ClosedForExit e) {
        // closed as this JVM exits, just before the write: again on a new connection
      }
    }
  }

  private Wire.Frame callToTheEndHere(byte op, long object, byte[] payload) {
    checkOpen();
    CallLine line = CallLine.carries(op) ? line() : null;
    if (line != null) {
      return callOn(line, op, object, payload);
    }
    long request = requests.incrementAndGet();
    CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
    pending.put(request, reply);
    if (lost != null) {
      pending.remove(request);
      checkOpen();
      throw lost;
    }
    try {
      writeRequest(op, request, object, 0, payload);
    } catch (ClosedForExit e) {
      pending.remove(request);
      throw e;
    }
    Replies.watchPrompt(reply);
    try {
      return Replies.uninterruptibly(reply);
    } catch (ExecutionException e) {
      throw unavailable(e);
    }
  }

  private Wire.Frame callOn(CallLine line, byte op, long object, byte[] payload) {
    try {
      return line.call(op, requests.incrementAndGet(), object, payload);
    } catch (IOException e) {
      check();
      throw new HubUnavailableException(
          "the " + ref + " is gone (its JVM exited or was killed): " + e, e);
    } finally {
      if (line.isOpen()) {
        idleLines.push(line);
        if (lost != null) {
          line.close(); // LOST closed the idle lines before this one was back
        }
      } else {
        lineCount.decrementAndGet(); // its place may be taken by a new one
      }
    }
  }

  /** How many call lines this client has open, idle or in use. */
  int openLines() {
    return lineCount.get();
  }

  /** An idle call line, or a new one if there are fewer than {@link #MAX_LINES}; or null. */
  private CallLine line() {
    CallLine line = idleLines.pollFirst();
    if (line != null || ref.isTcp()) {
      return line;
    }
    int n;
    do {
      n = lineCount.get();
      if (n >= MAX_LINES) {
        return null;
      }
    } while (!lineCount.compareAndSet(n, n + 1));
    try {
      line = CallLine.open(Path.of(ref.socket()), ref.token(), process);
    } catch (IOException e) {
      lineCount.decrementAndGet();
      return null; // this connection then carries the call, or says why the hub is gone
    }
    return line; // if LOST came meanwhile, it is closed when its call ends
  }

  /**
   * As {@link #call(byte, long, long, byte[], long)}, running {@code afterWrite} (which may write
   * frames that the hub must see after this request) once the request is written.
   */
  Wire.Frame call(
      byte op, long object, long value, byte[] payload, long timeoutNanos, Runnable afterWrite)
      throws InterruptedException {
    if (afterWrite != null) { // its frames are for this connection: never made again elsewhere
      try {
        return callHere(op, object, value, payload, timeoutNanos, afterWrite);
      } catch (ClosedForExit e) {
        throw lost;
      }
    }
    HubClient c = this;
    for (int attempt = 0; ; c = c.next(++attempt)) {
      try {
        return c.callHere(op, object, value, payload, timeoutNanos, null);
      } catch (ClosedForExit e) {
        // closed as this JVM exits, just before the write: again on a new connection
      }
    }
  }

  private Wire.Frame callHere(
      byte op, long object, long value, byte[] payload, long timeoutNanos, Runnable afterWrite)
      throws InterruptedException {
    checkOpen();
    long request = requests.incrementAndGet();
    CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
    pending.put(request, reply);
    if (lost != null) { // lost between check() and put(): its sweep may have missed this one
      pending.remove(request);
      checkOpen();
      throw lost;
    }
    try {
      writeRequest(op, request, object, value, payload);
    } catch (ClosedForExit e) {
      pending.remove(request);
      throw e;
    }
    if (afterWrite != null) {
      afterWrite.run();
    }
    try {
      return Replies.await(reply, timeoutNanos, new Cancel(request, object));
    } catch (ExecutionException e) {
      throw unavailable(e);
    }
  }

  /** Cancels a request: a class, not a lambda, as {@link #coldStart} says. */
  private final class Cancel implements Runnable {
    private final long request;
    private final long object;

    Cancel(long request, long object) {
      this.request = request;
      this.object = object;
    }

    @Override
    public void run() {
      write(Wire.CANCEL, request, object, 0, null);
    }
  }

  private HubUnavailableException unavailable(ExecutionException e) {
    return e.getCause() instanceof HubUnavailableException h
        ? h
        : new HubUnavailableException("the " + ref + " failed: " + e.getCause(), e.getCause());
  }

  private void check() {
    HubUnavailableException l = lost;
    if (l != null) {
      throw l;
    }
  }

  /** As {@link #check}, but a connection closed for this JVM's exit asks for a new one. */
  private void checkOpen() {
    if (closedForExit) {
      throw new ClosedForExit();
    }
    check();
  }

  /**
   * Writes a request's frame, under this client's lock, which {@link #close} holds too: it goes out
   * before the close, or sees it.
   *
   * @throws ClosedForExit if this JVM's exit closed the connection
   * @throws HubUnavailableException if the connection broke
   */
  private void writeRequest(byte op, long request, long object, long value, byte[] payload) {
    synchronized (this) {
      if (closedForExit) {
        throw new ClosedForExit();
      }
      write(op, request, object, value, payload);
    }
  }

  private void write(byte op, long request, long object, long value, byte[] payload) {
    try {
      synchronized (this) { // counted under the lock that orders the frames (PutLane)
        Wire.writeLocked(this, out, op, request, object, value, payload);
        socketFrames++;
      }
    } catch (IOException e) {
      link.close(); // the reader sees it, and fails what is pending
      throw new HubUnavailableException("the " + ref + " cannot be written to: " + e, e);
    }
  }
}
