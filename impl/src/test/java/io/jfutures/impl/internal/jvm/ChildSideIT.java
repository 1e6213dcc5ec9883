package io.jfutures.impl.internal.jvm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child's end of the pipes with real processes: a child that may outlive its parent ({@code
 * haltWhenOrphaned} false) still ends when its parent dies before saying hello, rather than wait
 * for the hello for ever.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // reads cannot be interrupted
final class ChildSideIT {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void aParentThatDiesBeforeItsHello_endsAChildThatMayOutliveIt() throws Exception {
    assumeTrue(ChildPipes.available(), "pipes need /proc");
    Process parent =
        new ProcessBuilder(
                JAVA, "-cp", System.getProperty("java.class.path"), Parent.class.getName())
            .redirectErrorStream(true)
            .start();
    long child = -1;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("CHILD ")) {
          child = Long.parseLong(line.substring(6).trim());
        }
      }
      assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent halted");
      assertTrue(child > 0, "the parent named its child");
      long pid = child;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    } finally {
      parent.destroyForcibly();
      if (child > 0) {
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * Starts {@link Child}, reads its standard output until the child has announced its pipes, prints
   * the child's pid, and halts without opening them.
   */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      Process child =
          new ProcessBuilder(
                  List.of(
                      JAVA,
                      "-cp",
                      System.getProperty("java.class.path"),
                      Child.class.getName(),
                      ChildPipes.TARGET))
              // Not inherited: a child that lingered would hold the test's pipe open.
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
      String line = out.readLine();
      while (line != null && ChildPipes.parseAnnouncement(line) == null) {
        line = out.readLine();
      }
      assertNotNull(line, "the child announced its pipes");
      System.out.println("CHILD " + child.pid());
      System.out.flush();
      Runtime.getRuntime().halt(0); // no hello: the child must not wait for one for ever
    }
  }

  /** Connects over pipes as a child that may outlive its parent, and would then wait a minute. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      ChildSide.connect(args[0], false);
      System.err.println("child: connected, which it never should be here");
      Thread.sleep(60_000); // a helper program's body that must take time: it is never reached
    }
  }
}
