package io.jfutures.impl.internal.process;

import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerSpec;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One worker of a {@link ProcessPool}, as the pool sees it, and the sender thread that speaks to it
 * ({@code NAME-send}): it launches the worker, sends INIT, then sends tasks as the pool hands them
 * out. Its {@link WorkerReceiver} ({@code NAME-recv}) reads outcomes, completes futures, and
 * reports the worker's end to the pool.
 *
 * <pre>
 * States (field state, guarded by the pool's lock):
 *   STARTING  launched, or being launched; may already be sent tasks (they wait for INIT)
 *   READY     the initializer ran
 *   RETIRING  has been sent its last task (maxTasksPerChild) or must stop; sent STOP when idle
 *   DEAD      its channel closed; terminal
 *
 * STARTING -> READY -> RETIRING -> DEAD, and any state -> DEAD.
 * </pre>
 *
 * Tasks run in the worker in the order they were sent, so {@code inFlight}'s head is the task
 * running (or about to) and its outcome is the next to arrive.
 */
final class PoolWorker {
  enum State {
    STARTING,
    READY,
    RETIRING,
    DEAD
  }

  final ProcessPool pool;
  final String name;
  final long startNanos = System.nanoTime();

  // Guarded by pool.lock.
  State state = State.STARTING;
  final ArrayDeque<Task> inFlight = new ArrayDeque<>();
  long sent;
  long completed;
  boolean stopSent;

  /** Whether it reported READY: its initializer is done. Stays set when it retires. */
  boolean ready;

  /** Exponentially weighted mean of the run time of its tasks, -1 before the first. */
  long meanRunNanos = -1;

  /** The task that this worker was killed to stop (cancel(true) or its timeout), or null. */
  Task killedFor;

  /** Why: "to cancel" or "because it timed out:"; null if not killed for a task. */
  String killedWhy;

  /** Whether that task's outcome arrived after the kill, so the next task may have started. */
  boolean killRaced;

  /** Set when the worker said it retires (heap limit, OutOfMemoryError): its exit is expected. */
  boolean selfRetired;

  /** Whether its sender waits for work and no one has woken it yet. */
  boolean waiting;

  /**
   * Whether a submitting thread holds the write turn: it is writing a task to this idle worker
   * itself, sparing the task a wake-up of the sender (see {@link ProcessPool#schedule}). The sender
   * neither writes nor flushes until the turn is back.
   */
  boolean callerWriting;

  /** Whether the sender waits for the write turn, and must be woken when it is given back. */
  boolean senderWantsTurn;

  /**
   * The frames to the worker: the sender's, or a submitting thread's while it holds the turn. Set
   * before the sender first waits.
   */
  Frames.Writer writer;

  /** Set once the worker was killed on purpose (shutdownNow, broken pool, cancel). */
  boolean killed;

  final java.util.concurrent.locks.Condition wake;

  /** Set by the sender once the launch succeeds; read by any thread. */
  volatile WorkerHandle handle;

  /** The value of {@link #receiverReadingSince} while the receiver handles a frame. */
  static final long RECEIVER_BUSY = Long.MIN_VALUE;

  /**
   * When the receiver last went back to reading the channel, or {@link #RECEIVER_BUSY} while it
   * handles a frame: decodes a result, completes a future and runs the callbacks that completion
   * runs. A timed task's outcome may wait unread behind a slow callback; {@link
   * ProcessPool#onTimeout} does not judge it until the receiver reads again. Written by the
   * receiver, read by the timer.
   */
  volatile long receiverReadingSince = System.nanoTime();

  /**
   * When bytes from the worker last arrived. Later than {@link #receiverReadingSince}, it means a
   * frame is arriving: a large result takes a while to read, and {@link ProcessPool#onTimeout} does
   * not judge the task it belongs to while its bytes keep coming. Written by the receiver, read by
   * the timer.
   */
  volatile long receiverBytesAt = receiverReadingSince;

  PoolWorker(ProcessPool pool, String name) {
    this.pool = pool;
    this.name = name;
    this.wake = pool.lock.newCondition();
  }

  /** Whether the pool may send it tasks: it is starting or ready. Holds pool.lock. */
  boolean acceptsWork() {
    return state == State.STARTING || state == State.READY;
  }

  void start() {
    Thread sender = pool.config.threadFactory().newThread(this::launchAndSend);
    sender.setName(name + "-send");
    sender.setDaemon(true);
    sender.start();
  }

  private void launchAndSend() {
    ProcessPool.OWNER.set(pool);
    WorkerSpec spec = pool.specs.specFor(name);
    WorkerHandle h;
    try {
      h = pool.launcher.launch(spec);
      if (h == null) {
        throw new IOException("launcher " + pool.launcher.name() + " returned null");
      }
    } catch (IOException | RuntimeException | Error e) {
      pool.onLaunchFailed(this, e);
      return;
    }
    handle = h;
    if (!pool.workers.onLaunched()) {
      h.kill();
    }
    try {
      new WorkerReceiver(this, h).start();
    } catch (RuntimeException | Error e) { // no thread to be had: nobody would read this worker
      h.kill();
      pool.onLaunchFailed(this, e);
      return;
    }
    Frames.Writer writer = new Frames.Writer(h.toWorker(), pool.table);
    this.writer = writer; // published to submitters by the pool lock, in nextAction
    try {
      writer.write(Frames.INIT, 0, 0, pool.initPayload(name));
      boolean unflushed = true;
      while (true) {
        Dispatch.Action action = pool.dispatch.nextAction(this, unflushed);
        switch (action.kind()) {
          case SEND:
            writer.write(Frames.TASK, action.task().id, 0, action.task().payload);
            unflushed = true;
            break;
          case FLUSH:
            writer.flush();
            unflushed = false;
            break;
          case STOP:
            writer.write(Frames.STOP, 0, 0, null);
            writer.flush();
            return;
          case EXIT:
          default:
            return;
        }
      }
    } catch (IOException e) {
      // The worker is gone or going; the receiver sees its channel close and reports it.
      h.kill();
    }
  }

  long pid() {
    WorkerHandle h = handle;
    return h == null ? -1 : h.pid();
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
