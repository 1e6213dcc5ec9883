package io.jfutures.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A standalone worker member: a JVM that joins a cluster and runs jfutures tasks, so that adding a
 * machine is one command on it:
 *
 * <pre>
 * java -cp jfutures-hazelcast-VERSION-member.jar:app.jar io.jfutures.hazelcast.WorkerMember \
 *     --cluster jfutures --port 5701 --members 10.0.0.5:5701,10.0.0.6:5701 [--bind 10.0.0.6] \
 *     [--slots 8] [--exit-with-stdin]
 * </pre>
 *
 * <p>The {@code member} jar, built beside {@code jfutures-hazelcast}'s own, holds jfutures,
 * Hazelcast and Guava; {@code app.jar} stands for the tasks' classes.
 *
 * <p>It prints one line, {@code jfutures worker member ready: ...}, once it has joined, and runs
 * until it is stopped (SIGTERM leaves the cluster gracefully). With {@code --exit-with-stdin} it
 * also leaves when its standard input closes, so that a member started by a program or a test never
 * outlives it. The tasks' classes must be on its class path.
 */
public final class WorkerMember {
  /** The line a member prints once it has joined, before its details. */
  public static final String READY = "jfutures worker member ready: ";

  private WorkerMember() {}

  /**
   * Starts a worker member.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("WorkerMember: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Config config = HazelcastWorkers.memberConfig(o.cluster, o.bind, o.port, o.members, o.slots);
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
    PrintStream out = System.out;
    out.println(
        READY
            + HazelcastWorkers.worker(hz.getCluster().getLocalMember())
            + ", slots "
            + o.slots
            + ", cluster "
            + o.cluster
            + " of "
            + hz.getCluster().getMembers().size()
            + " members");
    out.flush();
    if (o.exitWithStdin) {
      Thread watcher =
          new Thread(
              () -> {
                drain(System.in);
                hz.getLifecycleService().terminate(); // its parent is gone: no graceful leave
                System.exit(0);
              },
              "jfutures-member-stdin");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // read until end-of-file
      }
    } catch (IOException e) {
      // closed: the same as end-of-file
    }
  }

  /** The command line, checked. */
  record Options(
      String cluster,
      String bind,
      int port,
      List<String> members,
      int slots,
      boolean exitWithStdin) {
    static final String USAGE =
        "usage: WorkerMember --cluster NAME --port PORT --members HOST:PORT[,HOST:PORT...]"
            + " [--bind ADDRESS] [--slots N] [--exit-with-stdin]";

    static Options parse(String[] args) {
      String cluster = null;
      String bind = "127.0.0.1";
      int port = -1;
      List<String> members = new ArrayList<>();
      int slots = Runtime.getRuntime().availableProcessors();
      boolean exitWithStdin = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--cluster" -> cluster = value(args, ++i, a);
          case "--bind" -> bind = value(args, ++i, a);
          case "--port" -> port = number(value(args, ++i, a), a);
          case "--members" -> members.addAll(Arrays.asList(value(args, ++i, a).split(",")));
          case "--slots" -> slots = number(value(args, ++i, a), a);
          case "--exit-with-stdin" -> exitWithStdin = true;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (cluster == null || cluster.isBlank()) {
        throw new IllegalArgumentException("--cluster is required");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--port is required, between 1 and 65535");
      }
      if (members.isEmpty()) {
        throw new IllegalArgumentException("--members is required: the addresses to join");
      }
      if (slots < 1) {
        throw new IllegalArgumentException("--slots must be at least 1, was " + slots);
      }
      return new Options(cluster, bind, port, List.copyOf(members), slots, exitWithStdin);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int number(String s, String option) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be a number, was " + s);
      }
    }
  }
}
