package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ChannelStreams;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code in-process} launcher: each worker is a thread of this JVM, speaking the same protocol
 * over two in-memory pipes, so tasks still cross a serialization boundary. For fast tests and for
 * stepping through a task in a debugger. There is no isolation: a task that calls {@code
 * System.exit} ends this JVM, and {@link WorkerHandle#kill()} can only close the pipes and
 * interrupt the thread.
 */
public final class InProcessLauncher implements WorkerLauncher {
  /** The name to select this launcher by. */
  public static final String NAME = "in-process";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerHandle launch(WorkerSpec spec) throws IOException {
    Pipe toWorker = Pipe.open();
    Pipe fromWorker = Pipe.open();
    CompletableFuture<WorkerExit> exit = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                spec.entryPoint()
                    .serve(
                        ChannelStreams.in(toWorker.source()),
                        ChannelStreams.out(fromWorker.sink()));
              } catch (IOException e) {
                // the pool closed the channel
              } finally {
                ChannelStreams.closeQuietly(fromWorker.sink());
                ChannelStreams.closeQuietly(toWorker.source());
                exit.complete(WorkerExit.UNKNOWN);
              }
            },
            spec.workerName());
    thread.setDaemon(true);
    thread.start();
    InputStream in = ChannelStreams.in(fromWorker.source());
    OutputStream out = ChannelStreams.out(toWorker.sink());
    return new WorkerHandle() {
      @Override
      public InputStream fromWorker() {
        return in;
      }

      @Override
      public OutputStream toWorker() {
        return out;
      }

      @Override
      public long pid() {
        return ProcessHandle.current().pid();
      }

      @Override
      public CompletableFuture<WorkerExit> onExit() {
        return exit;
      }

      @Override
      public void kill() {
        ChannelStreams.closeQuietly(toWorker.sink());
        ChannelStreams.closeQuietly(fromWorker.source());
        ChannelStreams.closeQuietly(toWorker.source());
        ChannelStreams.closeQuietly(fromWorker.sink());
        thread.interrupt();
      }

      @Override
      public List<String> stderrTail() {
        return List.of();
      }
    };
  }
}
