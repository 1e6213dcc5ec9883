package io.jfutures.impl.internal.process;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.internal.jvm.ChannelStreams;
import io.jfutures.impl.internal.process.Frames.Frame;
import io.jfutures.spi.WorkerHandle;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving side of one {@link PoolWorker}: reads the worker's frames, completes the futures of
 * its tasks, and reports the worker's end to the pool.
 *
 * <p>Completing a future runs its callbacks, which are user code, on the completing thread. A
 * callback that blocks, say one that submits a task and waits for it, must not stop this worker's
 * outcomes from being read: that task may be running on this very worker. So the reading is a turn
 * that passes between threads. The thread that has it completes a future itself (no hand-off on the
 * common path, where callbacks are short or absent); if it is still completing after {@link
 * #STALL_NANOS}, the {@link Watch} starts a new thread, which takes the turn and reads on. The old
 * thread ends once its callbacks return.
 *
 * <pre>
 * States (field turn; a generation g is the number of threads that have had the turn before):
 *   2g     READING(g)     generation g's thread reads a frame, or handles one (library code)
 *   2g+1   COMPLETING(g)  it completes a future: callbacks may run, for any time
 *
 * READING(g)    -> COMPLETING(g)   the owner, after decoding an outcome, before completing it
 * COMPLETING(g) -> READING(g)      the owner, once the callbacks have returned
 * COMPLETING(g) -> READING(g+1)    a new thread, started by the watch once the owner has been
 *                                   completing for STALL_NANOS: it now owns the turn
 * </pre>
 *
 * Invariant: only the thread whose generation the turn names touches the frame reader and the class
 * index, and the turn moves only by a CAS from COMPLETING, when the old owner has finished with
 * both (the outcome was decoded before). A thread that finds its generation gone ends without
 * touching either. The reader's timestamps ({@link PoolWorker#receiverReadingSince}, {@link
 * PoolWorker#receiverBytesAt}) are written only by the owner.
 */
final class WorkerReceiver {
  /** How long a callback may hold the turn before a new thread takes over the reading. */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final AtomicIntegerFieldUpdater<WorkerReceiver> TURN =
      AtomicIntegerFieldUpdater.newUpdater(WorkerReceiver.class, "turn");

  private final PoolWorker worker;
  private final ProcessPool pool;
  private final WorkerHandle handle;
  private final Codec.ClassIndex index;
  private final Frames.Reader reader;

  private volatile int turn;

  /** When the owner began completing its current future; meaningful while turn is odd. */
  private volatile long completingSince;

  WorkerReceiver(PoolWorker worker, WorkerHandle handle) {
    this.worker = worker;
    this.pool = worker.pool;
    this.handle = handle;
    this.index = pool.newClassIndex();
    this.reader = new Frames.Reader(new ArrivalStamps(handle.fromWorker()), index);
  }

  /** Starts the first reading thread. */
  void start() {
    startThread(0);
  }

  private void startThread(int generation) {
    Thread thread = pool.config.threadFactory().newThread(() -> run(generation));
    thread.setName(worker.name + "-recv" + (generation == 0 ? "" : "-" + generation));
    thread.setDaemon(true);
    thread.start();
  }

  private void run(int generation) {
    ProcessPool.OWNER.set(pool);
    if (generation > 0 && !TURN.compareAndSet(this, 2 * generation - 1, 2 * generation)) {
      return; // the owner finished its callbacks first, or another thread took over
    }
    Watch.register(this);
    IOException error = null;
    try {
      for (Frame frame = read(); frame != null; frame = read()) {
        if (!handle(frame, generation)) {
          return; // handed over while a callback ran: the new owner reads on
        }
      }
    } catch (IOException e) {
      error = e;
    } catch (RuntimeException | Error e) {
      // An outcome too large for this heap, say. The channel stops mid-frame, so the worker is
      // killed; the task whose outcome it was fails, and the rest is handled as after a kill.
      error = new IOException("could not read from worker " + worker.name + ": " + e, e);
      pool.onOutcomeUnreadable(worker, e);
    }
    Watch.unregister(this);
    // The channel is done with, however the worker ended: release it.
    ChannelStreams.closeQuietly(handle.fromWorker());
    ChannelStreams.closeQuietly(handle.toWorker());
    pool.onWorkerGone(worker, error);
  }

  /** Handles one frame; returns false if the turn passed to another thread meanwhile. */
  private boolean handle(Frame frame, int generation) throws IOException {
    switch (frame.type()) {
      case Frames.READY:
        pool.workers.onReady(worker);
        return true;
      case Frames.RETIRING:
        pool.workers.onRetiring(worker);
        return true;
      case Frames.INIT_FAILED:
        BrokenProcessPoolException broken = pool.onInitFailed(worker, decodeThrowable(frame));
        return completing(generation, () -> pool.breakPool(broken, worker));
      case Frames.RESULT:
      case Frames.FAILURE:
        Task task = pool.onOutcome(worker, frame.id(), frame.aux());
        if (task == null) {
          return true;
        }
        if (frame.type() == Frames.FAILURE) {
          Throwable failure = decodeThrowable(frame);
          return completing(generation, () -> task.future.completeExceptionally(failure));
        }
        Object value;
        try {
          value = index.decode(frame);
        } catch (Exception | Error e) { // an Error of its readObject, or a result too large here
          TaskSerializationException unreadable =
              new TaskSerializationException(
                  "could not read the result of " + task + ": " + WorkerMain.describe(e), e);
          return completing(generation, () -> task.future.completeExceptionally(unreadable));
        }
        return completing(generation, () -> task.future.complete(value));
      default:
        throw new IOException("unexpected frame type " + frame.type() + " from " + worker.name);
    }
  }

  /**
   * Runs {@code completion}, which may run callbacks, in the COMPLETING state; returns whether this
   * thread still has the turn afterwards.
   */
  private boolean completing(int generation, Runnable completion) {
    completingSince = System.nanoTime();
    turn = 2 * generation + 1;
    Watch.ensureArmed();
    try {
      completion.run();
    } finally {
      if (!TURN.compareAndSet(this, 2 * generation + 1, 2 * generation)) {
        ProcessPool.OWNER.remove();
      }
    }
    return turn == 2 * generation;
  }

  /** Whether the owner has been completing a future for longer than {@link #STALL_NANOS}. */
  private boolean stalled(long now) {
    int t = turn;
    return (t & 1) == 1 && now - completingSince > STALL_NANOS;
  }

  private boolean completing() {
    return (turn & 1) == 1;
  }

  /** Starts a thread to take the turn from a stalled owner; it ends at once if too late. */
  private void takeOver() {
    int t = turn;
    if ((t & 1) == 1) {
      startThread(t / 2 + 1);
    }
  }

  private Frame read() throws IOException {
    worker.receiverReadingSince = System.nanoTime();
    Frame frame = reader.read();
    worker.receiverReadingSince = PoolWorker.RECEIVER_BUSY;
    return frame;
  }

  private Throwable decodeThrowable(Frame frame) {
    try {
      EncodedThrowable encoded = (EncodedThrowable) index.decode(frame);
      return encoded.decode(index);
    } catch (Exception | Error e) {
      return new TaskSerializationException(
          "could not read the exception a task threw: " + WorkerMain.describe(e), e);
    }
  }

  /** The worker's bytes, stamped with {@link PoolWorker#receiverBytesAt} as they arrive. */
  private final class ArrivalStamps extends FilterInputStream {
    ArrivalStamps(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        worker.receiverBytesAt = System.nanoTime();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        worker.receiverBytesAt = System.nanoTime();
      }
      return n;
    }
  }

  /**
   * Looks, every {@link #PERIOD_NANOS} on {@link TaskTimers#TIMER}, for receivers whose callbacks
   * have held the turn for too long, and has a new thread take over each. It runs only while some
   * receiver completes futures: armed by a receiver about to complete one, it disarms after two
   * looks that found none completing.
   *
   * <pre>
   * Arming handshake: a receiver sets its turn to COMPLETING, then reads armed; the watch clears
   * armed, then looks at every turn again. Both are volatile writes then reads, so at least one
   * sees the other: the receiver re-arms, or the watch stays armed.
   * </pre>
   */
  static final class Watch {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final Set<WorkerReceiver> RECEIVERS = ConcurrentHashMap.newKeySet();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile boolean armed;
    private static ScheduledFuture<?> sweeps; // guarded by LOCK
    private static int idleLooks; // touched by the sweep only

    private Watch() {}

    static void register(WorkerReceiver receiver) {
      RECEIVERS.add(receiver);
    }

    static void unregister(WorkerReceiver receiver) {
      RECEIVERS.remove(receiver);
    }

    static void ensureArmed() {
      if (!armed) {
        LOCK.lock();
        try {
          if (!armed) {
            sweeps =
                TaskTimers.TIMER.scheduleWithFixedDelay(
                    Watch::look, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            armed = true;
          }
        } finally {
          LOCK.unlock();
        }
      }
    }

    private static void look() {
      long now = System.nanoTime();
      boolean anyCompleting = false;
      for (WorkerReceiver r : RECEIVERS) {
        if (r.completing()) {
          anyCompleting = true;
          if (r.stalled(now)) {
            try {
              r.takeOver();
            } catch (Throwable e) { // no thread to be had: try again at the next look
              anyCompleting = true;
            }
          }
        }
      }
      if (anyCompleting) {
        idleLooks = 0;
      } else if (++idleLooks >= 2) {
        idleLooks = 0;
        LOCK.lock();
        try {
          armed = false;
          sweeps.cancel(false);
          sweeps = null;
        } finally {
          LOCK.unlock();
        }
        for (WorkerReceiver r : RECEIVERS) {
          if (r.completing()) {
            ensureArmed(); // it set its turn before we cleared armed, and saw it still set
            return;
          }
        }
      }
    }
  }
}
