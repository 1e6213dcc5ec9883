package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.PipeBackend;

/**
 * The two ends of a pipe: Python's {@code multiprocessing.Pipe(duplex)}. Give one end to another
 * process (as a {@link JvmProcess}'s or a pool task's argument) and keep the other.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();                     // parent_conn, child_conn = Pipe()
 * Connection parentEnd = pipe.first();
 * Connection childEnd = pipe.second();
 * new JvmProcess(() -> { childEnd.send("hello"); childEnd.close(); }).start();
 * System.out.println(parentEnd.recv());        // hello
 * parentEnd.recv();                            // EOFException: the child's end is closed
 * }</pre>
 *
 * @param first the first end; of a one-way pipe, the one that receives
 * @param second the second end; of a one-way pipe, the one that sends
 */
public record Pipe(Connection first, Connection second) {

  /**
   * Opens a two-way pipe: Python's {@code Pipe()}.
   *
   * @return the new pipe
   */
  public static Pipe open() {
    return open(true);
  }

  /**
   * Opens a pipe: two-way if {@code duplex}, else one-way, from {@link #second()} to {@link
   * #first()}, as Python's {@code Pipe(duplex=False)} returns {@code (reader, writer)}.
   *
   * @param duplex whether both ends can send and receive
   * @return the new pipe
   */
  public static Pipe open(boolean duplex) {
    long id = PipeBackend.create(duplex);
    var hub = PipeBackend.localHub();
    return new Pipe(
        new Connection(hub, id, 0, true, duplex), new Connection(hub, id, 1, duplex, true));
  }
}
