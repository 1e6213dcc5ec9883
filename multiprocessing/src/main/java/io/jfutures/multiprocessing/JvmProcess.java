package io.jfutures.multiprocessing;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.impl.internal.jvm.ChildClassPath;
import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildJvmOptions;
import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import io.jfutures.impl.internal.process.LibraryDirectives;
import io.jfutures.impl.internal.process.WorkerClassArchive;
import io.jfutures.multiprocessing.internal.Children;
import io.jfutures.multiprocessing.internal.Here;
import io.jfutures.multiprocessing.internal.Launch;
import io.jfutures.multiprocessing.internal.ProcessMain;
import io.jfutures.multiprocessing.internal.Standby;
import io.jfutures.multiprocessing.internal.Started;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM that runs one target: Python's {@code multiprocessing.Process}.
 *
 * <pre>{@code
 * JvmProcess p = new JvmProcess(() -> System.out.println("hello from " + JvmProcess.current()));
 * p.start();
 * p.join();
 * System.out.println(p.exitCode()); // OptionalInt[0]
 * }</pre>
 *
 * <p>The target is a {@link SerializableRunnable}: a lambda whose captured values are its
 * arguments, copied to the child with Java serialization when {@link #start()} is called (a value
 * that cannot be serialized fails {@code start()} there). Or subclass this class and override
 * {@link #run()}: the whole object, with its fields, is copied to the child, and {@code run()} is
 * called there. The child runs on this JVM's {@code java}, with this JVM's class path and module
 * path; what it prints goes to this JVM's standard output and error.
 *
 * <p><b>Exit codes</b> follow Python's convention: {@link #exitCode()} is empty until the process
 * has exited; then 0 if {@code run()} returned, 1 if it threw (the stack trace is printed on
 * standard error), the status it gave {@code System.exit}, or {@code -N} if signal N ended it:
 * {@code -15} after {@link #terminate()} (although the JVM itself exits 143 on SIGTERM, after
 * running its shutdown hooks), {@code -9} after {@link #kill()}. A child that calls {@code
 * System.exit(143)} itself reports 143.
 *
 * <p><b>Daemons.</b> A {@linkplain #daemon(boolean) daemon} process ends within milliseconds when
 * this JVM ends, however it ends ({@code kill -9} included): it watches its standard input, which
 * this JVM holds open. At a normal exit this JVM terminates its daemon children first. It waits for
 * its non-daemon children, which, as in Python, also run on if this JVM is killed.
 *
 * <pre>
 * States: NEW -> STARTED (start()) -> EXITED (the child's process ended and was reported)
 *         NEW or EXITED -> CLOSED (close()); start() only from NEW, close() not while STARTED
 * </pre>
 *
 * The settings ({@link #name}, {@link #daemon}, {@link #jvmOptions}, {@link #extraClassPath}) may
 * change only before {@code start()}. The lifecycle methods are thread-safe; {@code run()} runs in
 * the child only.
 */
public class JvmProcess implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** What the child runs, or null when a subclass overrides {@link #run()}. */
  private final SerializableRunnable target;

  /** The process's name. */
  private String name;

  /** Whether this is a daemon process. */
  private boolean daemon;

  /** The child JVM's options. */
  @SuppressWarnings("serial") // always a List.copyOf/List.of, which is serializable
  private List<String> jvmOptions = List.of();

  /** Class path entries after this JVM's own. */
  @SuppressWarnings("serial") // always a List.copyOf/List.of, which is serializable
  private List<String> extraClassPath = List.of();

  /**
   * Whether the child serves other processes' calls all its life (a manager's JVM), so that C2
   * compiles jfutures' code there as everywhere else ({@link LibraryDirectives}). Set before start.
   */
  private transient boolean servesCalls;

  /** Null until started; never null again. Guarded by "this" for writes. */
  private transient volatile Started started;

  private transient volatile boolean closed;

  /** Creates a process whose {@link #run()} a subclass overrides. */
  protected JvmProcess() {
    this.target = null;
    this.name = defaultName();
  }

  /**
   * Creates a process that runs {@code target} in a child JVM.
   *
   * @param target what the child runs; serializable, as are the values it captures
   * @throws NullPointerException if {@code target} is null
   */
  public JvmProcess(SerializableRunnable target) {
    this.target = Objects.requireNonNull(target, "target");
    this.name = defaultName();
  }

  /** A process read back from its {@link Form}: named as it was, no name drawn. */
  private JvmProcess(
      SerializableRunnable target,
      String name,
      boolean daemon,
      List<String> jvmOptions,
      List<String> extraClassPath) {
    this.target = target;
    this.name = name;
    this.daemon = daemon;
    this.jvmOptions = jvmOptions;
    this.extraClassPath = extraClassPath;
  }

  /**
   * A process made with a target travels as a {@link Form}. Private, so a subclass (whose fields
   * this class does not know) travels as itself.
   */
  private Object writeReplace() {
    return new Form(this);
  }

  /**
   * A process's serialized form: its settings written and read by hand, then its target. Every
   * child reads its launch cold; a {@code Serializable} class costs that read a generated
   * serialization constructor (bytecode spun and defined as it starts), and the two lists another
   * two classes' worth of reflection; an {@code Externalizable} one needs neither.
   */
  static final class Form implements Externalizable {
    private static final long serialVersionUID = 1L;

    private JvmProcess process;

    /** For deserialization only. */
    public Form() {}

    Form(JvmProcess process) {
      this.process = process;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      out.writeUTF(process.name);
      out.writeBoolean(process.daemon);
      writeStrings(out, process.jvmOptions);
      writeStrings(out, process.extraClassPath);
      out.writeObject(process.target);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
      String name = in.readUTF();
      boolean daemon = in.readBoolean();
      List<String> jvmOptions = readStrings(in);
      List<String> extraClassPath = readStrings(in);
      Object target = in.readObject();
      if (!(target instanceof SerializableRunnable)) {
        throw new InvalidObjectException("a process's target is not a SerializableRunnable");
      }
      process =
          new JvmProcess((SerializableRunnable) target, name, daemon, jvmOptions, extraClassPath);
    }

    private Object readResolve() {
      return process; // readExternal set it, or threw
    }

    private static void writeStrings(ObjectOutput out, List<String> strings) throws IOException {
      out.writeInt(strings.size());
      for (String s : strings) {
        out.writeUTF(s);
      }
    }

    private static List<String> readStrings(ObjectInput in) throws IOException {
      int size = in.readInt();
      if (size < 0) {
        throw new InvalidObjectException("a negative count of strings: " + size);
      }
      String[] strings = new String[size];
      for (int i = 0; i < size; i++) {
        strings[i] = in.readUTF();
      }
      return List.of(strings);
    }
  }

  private static String defaultName() {
    String prefix = Here.isChild() ? Here.current().name() + ":" : "JvmProcess-";
    return prefix + COUNT.incrementAndGet();
  }

  /**
   * What the child runs: the target given to the constructor. Override it in a subclass instead of
   * giving a target; it runs in the child JVM, never in this one.
   *
   * @throws Exception whatever the target throws: the child prints it and exits with 1
   */
  public void run() throws Exception {
    if (target != null) {
      target.runChecked();
    }
  }

  // ---- settings, before start() -------------------------------------------------------------

  /**
   * Returns the process's name: {@code JvmProcess-N} unless set.
   *
   * @return the process's name
   */
  public String name() {
    return name;
  }

  /**
   * Sets the name, which the child's {@link #current()} reports and messages use.
   *
   * @param name the process's name
   * @return this process
   * @throws IllegalStateException if it was started
   */
  public synchronized JvmProcess name(String name) {
    checkNew("name");
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Whether this is a daemon process.
   *
   * @return whether this is a daemon process
   */
  public boolean isDaemon() {
    return daemon;
  }

  /**
   * Makes this a daemon process, or not (the default): a daemon ends when this JVM ends.
   *
   * @param daemon whether this is a daemon process
   * @return this process
   * @throws IllegalStateException if it was started
   */
  public synchronized JvmProcess daemon(boolean daemon) {
    checkNew("daemon");
    this.daemon = daemon;
    return this;
  }

  /**
   * Sets the child JVM's options, as {@code "-Xmx256m"}, after the defaults (so they win): {@code
   * -XX:+UseG1GC} on JDK 17 and {@code -XX:+UseSerialGC} on later JDKs, the collector a child
   * starts soonest with (left out if these options choose a collector), JIT thresholds 5 times the
   * default outside jfutures', {@code java.io}'s and {@code java.nio}'s code (a JVM's start
   * compiles less; left out if these options set {@code -XX:CompileThresholdScaling}), and where
   * the JDK has it {@code -XX:TrimNativeHeapInterval=5000}, which gives the memory the child's JVM
   * freed back to the system every 5 s, and a compiler directive that leaves jfutures' own classes
   * to C1 (their calls wait on other processes, and C2 would compete for the CPUs with the child's
   * first seconds of work; left out if these options name a {@code -XX:CompilerDirectivesFile}, or
   * with {@code -Djfutures.process.libraryDirectives=false}). The child maps a class-data archive
   * that jfutures makes for processes on the same class path (in the background, the first time),
   * unless these options choose their own class-data sharing or {@code -Djfutures.worker.cds=false}
   * turns it off.
   *
   * @param options the child JVM's options
   * @return this process
   * @throws IllegalStateException if it was started
   */
  public synchronized JvmProcess jvmOptions(String... options) {
    checkNew("jvmOptions");
    this.jvmOptions = List.of(options);
    return this;
  }

  /** Marks this process's JVM as a server of calls, as a manager's is ({@link #servesCalls}). */
  synchronized JvmProcess servesCalls() {
    checkNew("servesCalls");
    this.servesCalls = true;
    return this;
  }

  /**
   * Adds class path entries after this JVM's own: needed only when this JVM's class loader does not
   * say where its classes come from (an application server's, say); {@link #start()} then says so.
   *
   * @param entries the class path entries to add
   * @return this process
   * @throws IllegalStateException if it was started
   */
  public synchronized JvmProcess extraClassPath(List<String> entries) {
    checkNew("extraClassPath");
    this.extraClassPath = List.copyOf(entries);
    return this;
  }

  private void checkNew(String setting) {
    if (started != null || closed) {
      throw new IllegalStateException(
          "cannot set " + setting + " of " + name + ": it was already started");
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /**
   * Starts the child JVM and returns as soon as its process exists, as Python's {@code start()}
   * does: {@link #pid()}, {@link #terminate()} and {@link #kill()} work at once, and the target
   * runs once the JVM has booted and connected. So starting several processes boots their JVMs at
   * the same time. A child that fails to boot (a bad JVM option, say) exits: its exit code and
   * standard error tell why. A process can be started once.
   *
   * @return this process
   * @throws IllegalStateException if it was already started, or closed
   * @throws IllegalArgumentException if the target (or a field of a subclass) cannot be serialized;
   *     the message names the class
   * @throws UncheckedIOException if the child JVM's process could not be started (no {@code java}
   *     there, say)
   */
  public synchronized JvmProcess start() {
    if (closed) {
      throw new IllegalStateException("cannot start " + name + ": it is closed");
    }
    if (started != null) {
      throw new IllegalStateException(
          "cannot start " + name + " twice: a process can be started once; make a new one");
    }
    byte[] launch = new Launch(this, current()).toBytes();
    ChildJvmSpec spec = spec();
    try {
      ChildJvm spare = Standby.count() > 0 ? Standby.take(spec) : null;
      started =
          spare != null
              ? Started.adopt(spare, name, launch, daemon, code -> Children.remove(this))
              : Started.start(spec, launch, daemon, code -> Children.remove(this));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
    }
    Children.add(this, started);
    return this;
  }

  /**
   * Keeps {@code jvms} JVMs started ahead, each ready to run one process, as Python's {@code
   * set_start_method("forkserver")} keeps a server ready to fork: {@link #start()} then sends the
   * target to a JVM that has booted already, and starts another in its place in the background. A
   * process's start-to-join then costs its run and its exit, not a JVM's boot, as long as starts
   * come no faster than spares boot. Off (0) by default: each spare is an idle JVM (about 40 MiB).
   *
   * <p>Only processes with the default settings take a spare: one with {@link #jvmOptions} or
   * {@link #extraClassPath}, or started where the class path differs, starts a JVM of its own, as
   * without spares. Spares halt when this JVM ends, however it ends; {@code setStandbyJvms(0)}
   * kills them at once. A spare that is taken becomes the process in every respect: its pid, exit
   * code, daemon or not.
   *
   * @param jvms how many JVMs to keep started ahead, 0 (off) to 16
   * @throws IllegalArgumentException if {@code jvms} is negative or more than 16
   */
  public static void setStandbyJvms(int jvms) {
    if (jvms < 0 || jvms > 16) {
      throw new IllegalArgumentException(
          "standby JVMs: 0 (off) to 16, not " + jvms + "; each is an idle JVM of about 40 MiB");
    }
    // The spares' class path is the one a process started from here gets: the caller's loader's.
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Standby.keep(
        jvms,
        () -> {
          Thread t = Thread.currentThread();
          ClassLoader was = t.getContextClassLoader();
          t.setContextClassLoader(loader);
          try {
            return new JvmProcess(() -> {}).spec();
          } finally {
            t.setContextClassLoader(was);
          }
        });
  }

  /**
   * Returns how many JVMs are kept started ahead ({@link #setStandbyJvms}).
   *
   * @return how many JVMs are kept started ahead
   */
  public static int standbyJvms() {
    return Standby.count();
  }

  private ChildJvmSpec spec() {
    List<String> modulePath = ChildJvmSpec.currentModulePath();
    List<String> classPath =
        new ArrayList<>(
            ChildClassPath.of(
                Thread.currentThread().getContextClassLoader(),
                System.getProperty("java.class.path"),
                modulePath,
                extraClassPath,
                "JvmProcess.extraClassPath(...)",
                ProcessMain.class));
    classPath.addAll(extraClassPath);
    // The pool workers' defaults: the same JVM, and the same options in its archive's key.
    List<String> given = new ArrayList<>(ChildJvmOptions.longLived(jvmOptions));
    if (!servesCalls) {
      given.addAll(LibraryDirectives.options(jvmOptions));
    }
    given.addAll(jvmOptions);
    Path java = ChildJvmSpec.currentJava();
    // The class-data archive of a process for this class path and these options (made on first
    // use), before the user's options, so that theirs win: the child maps the JDK's and jfutures'
    // classes ready-made.
    List<String> options =
        new ArrayList<>(
            WorkerClassArchive.optionsFor(
                WorkerClassArchive.Child.PROCESS, java, given, classPath, modulePath));
    options.addAll(given);
    boolean modular = !modulePath.isEmpty() && ProcessMain.class.getModule().isNamed();
    return new ChildJvmSpec(
        name,
        java,
        options,
        classPath,
        modulePath,
        Map.of(),
        modular ? ProcessMain.class.getModule().getName() : null,
        ProcessMain.class.getName(),
        List.of(daemon ? "daemon" : "non-daemon"),
        START_TIMEOUT);
  }

  private Started started(String verb) {
    Started s = started;
    if (s == null) {
      throw new IllegalStateException("cannot " + verb + " " + name + ": it was not started");
    }
    return s;
  }

  /**
   * Waits until the process has exited. Once this returns, what it held in this JVM's objects is
   * released: its locks (their next holder sees {@code ownerDied()}), its semaphore permits, the
   * queue items sent ahead of its gets, its waits.
   *
   * @throws IllegalStateException if it was not started
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    try {
      started("join").exitCode().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // cannot be: the exit code never fails
    }
  }

  /**
   * Waits at most {@code timeout} for the process to exit; returns whether it has (and then, as
   * {@link #join()} says, what it held here is released).
   *
   * @param timeout how long to wait at most
   * @return whether the process has exited
   * @throws IllegalStateException if it was not started
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    Started s = started("join");
    try {
      s.exitCode().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // cannot be: the exit code never fails
    }
  }

  /**
   * Returns a future that completes with this process once it has exited. Its callbacks run on a
   * thread of this process's own, never one that other processes or pools depend on.
   *
   * @return a future of this process, completed once it has exited
   * @throws IllegalStateException if it was not started
   */
  public CompletableFuture<JvmProcess> onExit() {
    return started("wait for").exitCode().thenApply(code -> this);
  }

  /**
   * Whether the process was started and has not exited yet.
   *
   * @return whether the process was started and has not exited yet
   */
  public boolean isAlive() {
    Started s = started;
    return s != null && !s.exitCode().isDone();
  }

  /**
   * Returns the child's process id.
   *
   * @return the child's process id
   * @throws IllegalStateException if it was not started
   */
  public long pid() {
    return started("get the pid of").pid();
  }

  /**
   * Returns the exit code once the process has exited, in Python's convention ({@code -N} for
   * signal N; see the class comment); empty before that.
   *
   * @return the exit code, or empty if the process has not exited
   */
  public OptionalInt exitCode() {
    Started s = started;
    if (s == null || !s.exitCode().isDone()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(s.exitCode().join());
  }

  /**
   * Returns the last lines (at most 20) the process wrote to its standard error, oldest first, and
   * a fatal error's banner if the JVM crashed (which it prints on standard output): what to show
   * when it ended badly. The lines are forwarded to this JVM's {@code System.err} as they come, as
   * well.
   *
   * @return the lines; empty before the process writes any
   * @throws IllegalStateException if it was not started
   */
  public List<String> stderrTail() {
    return started("read the standard error of").stderrTail();
  }

  /**
   * Asks the process to end: SIGTERM. The child runs its shutdown hooks and reports {@code -15}.
   * Does nothing if it has exited.
   *
   * @throws IllegalStateException if it was not started
   */
  public void terminate() {
    started("terminate").terminate();
  }

  /**
   * Ends the process at once: SIGKILL. It reports {@code -9}. Does nothing if it has exited.
   *
   * @throws IllegalStateException if it was not started
   */
  public void kill() {
    started("kill").kill();
  }

  /**
   * Releases this handle; later calls to {@link #start()} and the setters fail. Python's {@code
   * close()}.
   *
   * @throws IllegalStateException if the process is still running: join, terminate or kill it first
   */
  public synchronized void close() {
    if (isAlive()) {
      throw new IllegalStateException(
          "cannot close " + name + ": it is still running; join(), terminate() or kill() it first");
    }
    closed = true;
  }

  @Override
  public String toString() {
    Started s = started;
    String state;
    if (s == null) {
      state = closed ? "closed" : "initial";
    } else if (!s.exitCode().isDone()) {
      state = "started pid=" + s.pid();
    } else {
      state = "stopped exitcode=" + s.exitCode().join();
    }
    return "<JvmProcess name='" + name + "' " + state + (daemon ? " daemon>" : ">");
  }

  // ---- where am I ---------------------------------------------------------------------------

  /**
   * Returns this JVM's process: {@code MainProcess} unless jfutures started it for a {@code
   * JvmProcess}, whose name and daemon flag it then has. Python's {@code current_process()}.
   *
   * @return this JVM's process
   */
  public static ProcessInfo current() {
    return Here.current();
  }

  /**
   * Returns the process that started this one, or empty in a JVM that jfutures did not start.
   * Python's {@code parent_process()}.
   *
   * @return the process that started this one, or empty
   */
  public static Optional<ProcessInfo> parent() {
    return Here.parent();
  }

  /**
   * Returns the processes this JVM started that have not exited yet. Python's {@code
   * active_children()}.
   *
   * @return the processes this JVM started that have not exited yet
   */
  public static List<JvmProcess> activeChildren() {
    return Children.active();
  }

  /**
   * Returns the number of processors this JVM may use. Python's {@code cpu_count()}.
   *
   * @return the number of processors this JVM may use
   */
  public static int cpuCount() {
    return Runtime.getRuntime().availableProcessors();
  }
}
