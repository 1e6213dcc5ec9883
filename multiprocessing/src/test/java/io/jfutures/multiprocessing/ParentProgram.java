package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.Standby;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A parent JVM for {@link ParentProgramsIT}: {@code MODE DIR}. */
public final class ParentProgram {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private ParentProgram() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String dir = args[1];
    switch (mode) {
      case "daemon-then-block":
        {
          JvmProcess child =
              new JvmProcess(() -> Thread.sleep(120_000)) // inside a task: until orphaned
                  .daemon(true)
                  .start();
          System.out.println("CHILD " + child.pid());
          System.out.flush();
          new CountDownLatch(1).await(); // blocks until the test kills this JVM
          break;
        }
      case "standby-then-block":
        {
          // Two spares, then a daemon and a non-daemon process that take them.
          JvmProcess.setStandbyJvms(2);
          java.util.Set<Long> spares = new java.util.HashSet<>();
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (spares.size() < 2 && System.nanoTime() < deadline) {
            // Told by their command line: a class archive maker's shell may come and go.
            ProcessHandle.current()
                .children()
                .filter(
                    h ->
                        h.info()
                            .commandLine()
                            .map(c -> c.endsWith(" " + Standby.MODE))
                            .orElse(false))
                .forEach(h -> spares.add(h.pid()));
            Thread.sleep(20); // a helper program, polling for its spares to be launched
          }
          ProcessQueue<String> up = new ProcessQueue<>();
          JvmProcess daemon =
              new JvmProcess(
                      () -> {
                        up.put("up");
                        Thread.sleep(120_000); // inside a task: until orphaned
                      })
                  .daemon(true)
                  .start();
          JvmProcess nonDaemon =
              new JvmProcess(
                      () -> {
                        up.put("up");
                        Thread.sleep(120_000); // inside a task: until the test kills it
                      })
                  .start();
          up.get();
          up.get(); // both run: a process killed before its target came would not run at all
          while (ProcessHandle.current().children().count() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling for the two replacement spares to be launched
          }
          boolean took = spares.contains(daemon.pid()) && spares.contains(nonDaemon.pid());
          System.out.println("STANDBY " + took + " " + daemon.pid() + " " + nonDaemon.pid());
          System.out.flush();
          new CountDownLatch(1).await(); // blocks until the test kills this JVM
          break;
        }
      case "both-then-return":
        {
          ProcessQueue<String> up = new ProcessQueue<>();
          JvmProcess daemon =
              new JvmProcess(
                      () -> {
                        up.put("up"); // its signal note is set up before its target runs
                        Thread.sleep(120_000); // inside a task: until terminated
                      })
                  .daemon(true)
                  .start();
          String file = Path.of(dir, "non-daemon").toString();
          new JvmProcess(
                  () -> {
                    Thread.sleep(500); // inside a task that takes a while: the parent waits for it
                    Files.writeString(Path.of(file), "finished");
                  })
              .start();
          String exitFile = Path.of(dir, "daemon-exit").toString();
          daemon
              .onExit()
              .thenAccept(
                  p -> {
                    try {
                      Files.writeString(
                          Path.of(exitFile), Integer.toString(p.exitCode().orElse(0)));
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
          up.get();
          System.out.println("CHILD " + daemon.pid());
          System.out.flush();
          break; // main returns
        }
      case "owner-child-killed":
        {
          // args[2]: the name of the block the child creates and owns.
          String name = args[2];
          ProcessQueue<String> up = new ProcessQueue<>();
          JvmProcess owner =
              new JvmProcess(
                      () -> {
                        SharedMemory.create(name, 8).buffer().putLong(0, 42);
                        SharedInt counter = SharedInt.create(41); // a random name
                        up.put(counter.name());
                        Thread.sleep(120_000); // inside a task: until killed
                      })
                  .start();
          String counterName = up.get();
          owner.kill(); // SIGKILL: the owner never unlinks
          owner.join();
          // Both are still there while the program runs.
          try (SharedMemory block = SharedMemory.attach(name);
              SharedInt counter = SharedInt.attach(counterName)) {
            System.out.println("ATTACHED " + block.buffer().getLong(0) + " " + counter.get());
            System.out.println("NAME " + counterName);
          }
          System.out.flush();
          break; // main returns: the root removes the blocks
        }
      case "create-then-block":
        {
          SharedMemory.create(args[2], 8);
          System.out.println("CREATED");
          System.out.flush();
          new CountDownLatch(1).await(); // blocks until the test kills this JVM
          break;
        }
      case "create-then-return":
        {
          SharedMemory.create(args[2], 8); // first, the leftovers of dead programs go
          System.out.println("CREATED");
          break;
        }
      case "create-beyond-room":
        {
          // args[2] bytes do not fit in this program's /dev/shm; args[3] bytes do.
          try {
            SharedMemory.create(Long.parseLong(args[2]));
            System.out.println("CREATED");
          } catch (java.io.UncheckedIOException e) {
            System.out.println("REFUSED " + e.getMessage());
          }
          try (SharedMemory fits = SharedMemory.create(Integer.parseInt(args[3]))) {
            java.nio.ByteBuffer buffer = fits.buffer();
            while (buffer.hasRemaining()) {
              buffer.put((byte) 7);
            }
            System.out.println("WROTE " + fits.size());
            fits.unlink();
          }
          // Blocks only: the tree's marker directory stays until this JVM exits.
          try (var left = Files.list(io.jfutures.impl.internal.jvm.JvmTree.files())) {
            System.out.println("LEFT " + left.filter(f -> Files.isRegularFile(f)).count());
          }
          break;
        }
      default:
        throw new IllegalArgumentException(mode);
    }
  }
}
