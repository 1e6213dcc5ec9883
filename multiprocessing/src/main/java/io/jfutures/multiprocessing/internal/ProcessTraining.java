package io.jfutures.multiprocessing.internal;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.impl.internal.process.TrainingStep;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps a {@link JvmProcess}'s child takes before its target runs ({@link ProcessMain}), played
 * in the training run of the class archive that both pool workers and processes map: it reads two
 * launches as the child reads them, one whose target is a class and one whose target is a
 * serializable lambda, runs both targets (which only count), writes an exit note, and makes the
 * signal handler without installing it. Before this step, a process's child loaded some 100
 * classes, its own among them, from the jar and the JDK's image at every start.
 *
 * <p>It leaves nothing behind: no handler, hook, thread or file, and the training JVM's own process
 * information is left as it was.
 */
public final class ProcessTraining implements TrainingStep {
  /**
   * The classes of a manager's launch, private to {@code Manager}: named. A child that loads one
   * class from the class path has its class loader read the whole directory of each jar up to the
   * one that holds it, which the archive's classes never need.
   */
  static final List<String> MANAGER_LAUNCH =
      List.of(
          "io.jfutures.multiprocessing.Manager$Serve",
          "io.jfutures.multiprocessing.Manager$Registration");

  /** How many targets of the training have run, in this JVM. */
  private static final AtomicInteger RAN = new AtomicInteger();

  /** For {@link java.util.ServiceLoader}. */
  public ProcessTraining() {}

  @Override
  public void train() throws Exception {
    ProcessInfo parent = new ProcessInfo("jfutures-training", ProcessHandle.current().pid(), false);
    SerializableRunnable lambda = () -> RAN.incrementAndGet();
    List<JvmProcess> processes = List.of(new JvmProcess(new Count()), new JvmProcess(lambda));
    int before = RAN.get();
    for (JvmProcess process : processes) {
      Launch launch = ProcessMain.readLaunch(asSent(new Launch(process, parent).toBytes()));
      check(launch.process().name().equals(process.name()), "the launch read back changed");
      check(launch.parent().equals(parent), "the parent read back changed");
      launch.process().run();
    }
    check(RAN.get() == before + processes.size(), "a training target did not run");
    ByteArrayOutputStream notes = new ByteArrayOutputStream();
    new Control(notes).note(Control.SIGNAL, 15);
    check(notes.size() == 2, "the exit note was not written");
    check(ProcessMain.signalHandler() != null, "no signal handler");
    // The child's end of the channel: loaded, not used (it reads this JVM's standard input).
    Class.forName(ChildSide.class.getName(), true, ProcessTraining.class.getClassLoader());
    // What a manager's JVM reads in its launch, from the archive rather than the class path.
    for (String target : MANAGER_LAUNCH) {
      Class.forName(target, false, ProcessTraining.class.getClassLoader());
    }
  }

  /** The bytes of a launch as they travel: length first. */
  private static ByteArrayInputStream asSent(byte[] launch) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(launch.length);
    out.write(launch);
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new StreamCorruptedException("process training: " + what);
    }
  }

  /** A target class that counts that it ran. */
  static final class Count implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    @Override
    public void runChecked() {
      RAN.incrementAndGet();
    }
  }
}
