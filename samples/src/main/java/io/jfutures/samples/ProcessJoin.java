package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.PrintStream;
import java.util.OptionalInt;

/**
 * Python's first multiprocessing program, in Java: a {@link JvmProcess} runs {@code f("bob")} in a
 * child JVM, which says who it is and who its parent is, and the parent joins it.
 *
 * <pre>{@code
 * def f(name):
 *     info('function f')
 *     print('hello', name)
 *
 * if __name__ == '__main__':
 *     info('main line')
 *     p = Process(target=f, args=('bob',))
 *     p.start()
 *     p.join()
 * }</pre>
 *
 * The child prints on its own standard output, which the parent copies to its own.
 */
public final class ProcessJoin {
  private ProcessJoin() {}

  /** Prints who runs this code: its name, pid and parent's pid. */
  static String info(String title) {
    ProcessInfo me = JvmProcess.current();
    long parent = JvmProcess.parent().map(ProcessInfo::pid).orElse(-1L);
    return title + ": process " + me.name() + ", pid " + me.pid() + ", parent pid " + parent;
  }

  /** The target: runs in the child JVM. */
  static void f(String name) {
    System.out.println(info("function f"));
    System.out.println("hello " + name);
  }

  /** Runs {@code f(name)} in a child JVM and waits for it; returns its exit code. */
  public static int run(String name, PrintStream out) throws InterruptedException {
    out.println(info("main line"));
    JvmProcess p = new JvmProcess(() -> f(name));
    p.start();
    out.println("started " + p);
    p.join();
    OptionalInt code = p.exitCode();
    out.println("joined " + p + "; exit code " + code.orElseThrow());
    return code.orElseThrow();
  }
}
