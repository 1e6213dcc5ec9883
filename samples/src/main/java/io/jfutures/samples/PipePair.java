package io.jfutures.samples;

import io.jfutures.multiprocessing.Connection;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.Pipe;
import java.io.EOFException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's Pipe programs, in Java: a two-way pipe whose child sends a list and closes its end, and
 * a one-way pipe from a child that sends a few messages and closes; the parent reads each to
 * end-of-file.
 *
 * <pre>{@code
 * def f(conn):
 *     conn.send([42, None, 'hello'])
 *     conn.close()
 *
 * parent_conn, child_conn = Pipe()
 * p = Process(target=f, args=(child_conn,))
 * p.start()
 * print(parent_conn.recv())   # prints "[42, None, 'hello']"
 * p.join()
 * }</pre>
 */
public final class PipePair {
  private PipePair() {}

  static void f(Connection conn) {
    List<Object> message = new ArrayList<>();
    message.add(42);
    message.add(null);
    message.add("hello");
    conn.send(message);
    conn.close();
  }

  static void countTo(Connection writer, int n) {
    for (int i = 1; i <= n; i++) {
      writer.send("message " + i);
    }
    writer.close();
  }

  /** Runs both pipes; returns everything the parent received, in order. */
  public static List<Object> run(PrintStream out) throws Exception {
    List<Object> received = new ArrayList<>();
    Pipe pipe = Pipe.open();
    Connection parentConn = pipe.first();
    Connection childConn = pipe.second();
    JvmProcess p = new JvmProcess(() -> f(childConn)).start();
    Object first = parentConn.recv();
    out.println("two-way pipe: " + first);
    received.add(first);
    p.join();
    try {
      parentConn.recv();
    } catch (EOFException e) {
      out.println("two-way pipe: end-of-file once the child closed its end");
    }

    Pipe oneWay = Pipe.open(false);
    Connection reader = oneWay.first();
    Connection writer = oneWay.second();
    JvmProcess q = new JvmProcess(() -> countTo(writer, 3)).start();
    while (true) {
      try {
        Object m = reader.recv();
        out.println("one-way pipe: " + m);
        received.add(m);
      } catch (EOFException e) {
        out.println("one-way pipe: end-of-file");
        break;
      }
    }
    q.join();
    return received;
  }
}
