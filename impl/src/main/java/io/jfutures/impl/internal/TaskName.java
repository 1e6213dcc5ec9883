package io.jfutures.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * How messages name the code of a task, as a person reads it rather than as the JVM names its
 * class:
 *
 * <ul>
 *   <li>a serializable lambda: {@code app.Main.lambda$main$3 (Main.java:42)}, the line being the
 *       first of the lambda's body, or {@code app.Main.lambda$main$3} if the class file of {@code
 *       app.Main} cannot be read or has no source file or line numbers;
 *   <li>a serializable method reference: {@code app.Main::compute}, {@code app.Foo::new};
 *   <li>a lambda or method reference that is not serializable (or whose serialized form cannot be
 *       had): {@code a lambda of app.Main};
 *   <li>anything else: its class name, {@code app.Main$1}, {@code com.example.Job}.
 * </ul>
 *
 * <p>{@link #of} is on the submit path and costs a {@link ClassValue} lookup once the task's class
 * has been seen. It never calls the task's own code: a lambda's {@code writeReplace} is generated
 * by the JDK, and it is called once per class, on the first instance. The class file is read only
 * when {@link #toString()} first needs it, that is when a message is built. A TaskName holds no
 * task instance, only strings and the task's class, so it keeps no task's captured data alive.
 *
 * <p>This class is thread-safe.
 */
public final class TaskName {
  /*
   * One TaskName per class of task, in a ClassValue, so that classes can still unload: the value
   * lives in the task class's own map and refers only to that class.
   *
   * States (field state):
   *   UNSEEN      a lambda class with a writeReplace method, no instance seen yet
   *   LambdaSite  a serializable lambda whose source line has not been looked up yet
   *   String      the name; terminal
   *
   * UNSEEN -> LambdaSite or String  of(), on the first instance, under this object's monitor, so
   *                                 writeReplace runs at most once per class
   * LambdaSite -> String            toString(), on its first call; callers that race may each read
   *                                 the class file, and write equal strings
   * A class without writeReplace starts as a String.
   */

  /** The state of a lambda class whose serialized form has not been asked for. */
  private static final Object UNSEEN = new Object();

  private static final String LAMBDA_MARK = "$$Lambda";

  private static final ClassValue<TaskName> NAMES =
      new ClassValue<>() {
        @Override
        protected TaskName computeValue(Class<?> type) {
          return new TaskName(type);
        }
      };

  /** The task's class; a lambda's defining loader is the one that can read its class file. */
  private final Class<?> type;

  /** UNSEEN, a LambdaSite or a String; see the overview. */
  private volatile Object state;

  private TaskName(Class<?> type) {
    this.type = type;
    this.state = initialState(type);
  }

  /** Returns the name of {@code task}'s code; never null, and never throws for a non-null task. */
  public static TaskName of(Object task) {
    TaskName name = NAMES.get(task.getClass());
    if (name.state == UNSEEN) {
      name.firstInstance(task);
    }
    return name;
  }

  /**
   * Remembers the name of the last task class it was asked about: a submit path that sees one class
   * of task after another reads a field instead of {@link #of}'s {@link ClassValue}, which was a
   * tenth of a thread pool's submit (JMH, 100,000 no-op tasks). It holds that one class until asked
   * about another. Thread-safe: threads that race may each look the name up, and a {@code TaskName}
   * read through the racy field is safe to use (its class is a final field, its state volatile).
   */
  public static final class LastSeen {
    private TaskName last;

    /** Returns {@link TaskName#of(Object) of(task)}. */
    public TaskName of(Object task) {
      TaskName name = last;
      if (name == null || name.type != task.getClass()) {
        name = TaskName.of(task);
        last = name;
      }
      return name;
    }
  }

  private synchronized void firstInstance(Object task) {
    if (state == UNSEEN) {
      state = fromSerializedForm(serializedForm(task), type);
    }
  }

  /** Returns the name described in the class comment, reading the class file on the first call. */
  @Override
  public String toString() {
    Object s = state;
    if (s instanceof String name) {
      return name;
    }
    if (s instanceof LambdaSite site) {
      String name = site.describe(type);
      state = name;
      return name;
    }
    return lambdaOf(type.getName()); // UNSEEN: only if firstInstance failed with an Error
  }

  private static Object initialState(Class<?> type) {
    String name = type.getName();
    try {
      if (!name.contains(LAMBDA_MARK)) {
        return name;
      }
      type.getDeclaredMethod("writeReplace");
      return UNSEEN;
    } catch (NoSuchMethodException | RuntimeException e) {
      return lambdaOf(name); // not serializable, or not to be asked
    }
  }

  private static String lambdaOf(String className) {
    int mark = className.indexOf(LAMBDA_MARK);
    return "a lambda of " + (mark < 0 ? className : className.substring(0, mark));
  }

  private static Object fromSerializedForm(SerializedLambda form, Class<?> type) {
    if (form == null) {
      return lambdaOf(type.getName());
    }
    String method = form.getImplMethodName();
    if (method.startsWith("lambda$")) {
      return new LambdaSite(form.getImplClass(), method, form.getImplMethodSignature());
    }
    return form.getImplClass().replace('/', '.')
        + "::"
        + (method.equals("<init>") ? "new" : method);
  }

  /** Returns the serialized form of a serializable lambda, or null if it cannot be had. */
  static SerializedLambda serializedForm(Object lambda) {
    SerializedLambda form = viaWriteReplace(lambda);
    return form != null ? form : viaSerialization(lambda);
  }

  /**
   * Calls the lambda's private writeReplace, if its package is open to us (always on the class
   * path).
   */
  static SerializedLambda viaWriteReplace(Object lambda) {
    try {
      Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
      if (writeReplace.trySetAccessible()
          && writeReplace.invoke(lambda) instanceof SerializedLambda form) {
        return form;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a serializable lambda after all
    }
    return null;
  }

  /**
   * Has serialization call writeReplace, which it may do where reflection may not (a lambda in a
   * named module whose package is not open to this one), and keeps what it returns. Writes only the
   * stream header, to nowhere: the form is replaced by null before any of it is written.
   */
  static SerializedLambda viaSerialization(Object lambda) {
    try (FormCatcher out = new FormCatcher()) {
      out.writeObject(lambda);
      return out.form;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An ObjectOutputStream that catches the first SerializedLambda it is about to write. */
  private static final class FormCatcher extends ObjectOutputStream {
    private SerializedLambda form;

    FormCatcher() throws IOException {
      super(OutputStream.nullOutputStream());
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
      if (form == null && obj instanceof SerializedLambda lambda) {
        form = lambda;
      }
      return null;
    }
  }

  /** Where a serializable lambda's body is, from its serialized form: strings only. */
  private static final class LambdaSite {
    /** The class that holds the body, in internal form: {@code app/Main}. */
    private final String implClass;

    private final String method;
    private final String descriptor;

    LambdaSite(String implClass, String method, String descriptor) {
      this.implClass = implClass;
      this.method = method;
      this.descriptor = descriptor;
    }

    /** Returns {@code app.Main.lambda$main$3 (Main.java:42)}, or without the parenthesis. */
    String describe(Class<?> lambdaClass) {
      String name = implClass.replace('/', '.') + "." + method;
      String where = null;
      try (InputStream in = open(lambdaClass, implClass + ".class")) {
        if (in != null) {
          where = ClassFileReader.sourceLine(in.readAllBytes(), method, descriptor);
        }
      } catch (Exception e) {
        // a class loader that cannot give the class file: the name without a line
      }
      return where == null ? name : name + " (" + where + ")";
    }

    private static InputStream open(Class<?> lambdaClass, String resource) {
      ClassLoader loader = lambdaClass.getClassLoader();
      return loader != null
          ? loader.getResourceAsStream(resource)
          : ClassLoader.getSystemResourceAsStream(resource);
    }
  }
}
