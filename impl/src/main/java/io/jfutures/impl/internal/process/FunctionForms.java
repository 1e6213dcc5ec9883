package io.jfutures.impl.internal.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The form in which a stateless function ({@link SentFunctions}) travels to a worker once, and how
 * the worker makes it again: by its class's name, or a lambda by what its {@link SerializedLambda}
 * holds, without an object stream where that is the same as reading one.
 *
 * <p>A worker's first {@code ObjectInputStream} costs a new JVM more than anything else before its
 * first task: the stream's filter configuration starts the system logger's service lookup (every
 * module and jar searched) and loads the security properties; reading a function object then builds
 * its class's stream descriptor. Measured in a JVM with the JDK's default class archive: a function
 * object read by a first object stream, 28-29 ms of CPU, made here 3.4-6.2 ms; a method reference
 * 30-33 ms against 8.7-9.4.
 *
 * <pre>
 * form     := byte STREAM, the object stream's bytes ({@link Codec.ClassTable#encode})
 *           | byte INSTANCE, UTF class name, long serialVersionUID
 *           | byte LAMBDA, parts
 *           | byte CAPTURING, parts, int how many values it captures
 * parts    := UTF capturing class, UTF interface, UTF its method's name, UTF its signature, int the
 *             implementation's kind, UTF its class, UTF its name, UTF its signature, UTF the
 *             instantiated method type
 * </pre>
 *
 * <p>Each form makes what an object stream would: INSTANCE is taken only for a class that declares
 * its serialVersionUID (the worker checks it, as a stream does, without computing one), and makes
 * the object as serialization does, with the no-argument constructor of {@code Object} and none of
 * the class's own; LAMBDA only for a lambda that captures nothing, made by its capturing class's
 * {@code $deserializeLambda$}, as {@code SerializedLambda.readResolve} does. CAPTURING is not a
 * function but the parts of a lambda that captures values ({@link LambdaCaptures}): the reader
 * keeps them as a {@link LambdaTemplate}, which makes the lambda again from each task's values the
 * same way. Every class a form names passes the reader's filter, as it would in a stream, and
 * widens the writer's, as a class a stream names does (its package is then one the writer sent: a
 * result of it comes back). Anything else, and anything the writer's JVM cannot reach by
 * reflection, travels as STREAM. Stateless.
 */
final class FunctionForms {
  static final byte STREAM = 0;
  static final byte INSTANCE = 1;
  static final byte LAMBDA = 2;
  static final byte CAPTURING = 3;

  private FunctionForms() {}

  /** Returns {@code function}'s form; {@code classes} names the classes of a STREAM form. */
  static byte[] of(Object function, Codec.ClassTable classes) throws IOException {
    Class<?> type = function.getClass();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    DataOutputStream out = new DataOutputStream(bytes);
    if (SentFunctions.isLambda(type)) {
      SerializedLambda lambda = serializedLambda(function);
      if (lambda != null && lambda.getCapturedArgCount() == 0) {
        out.writeByte(LAMBDA);
        writeParts(lambda, out, classes);
        return bytes.toByteArray();
      }
    } else {
      Long suid = Instances.FACTORY != null ? declaredSuid(type) : null;
      if (suid != null) {
        classes.named(type.getName()); // as a stream would have named it
        out.writeByte(INSTANCE);
        out.writeUTF(type.getName());
        out.writeLong(suid);
        return bytes.toByteArray();
      }
    }
    out.writeByte(STREAM);
    classes.encode(function).writeTo(out);
    return bytes.toByteArray();
  }

  /**
   * Returns the CAPTURING form of {@code function}, a lambda that captures values, or null if the
   * reader could not make it by reflection as this JVM can (it then travels as a stream).
   */
  static byte[] capturing(Object function, Codec.ClassTable classes) throws IOException {
    SerializedLambda lambda = serializedLambda(function);
    if (lambda == null || lambda.getCapturedArgCount() == 0) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(CAPTURING);
    writeParts(lambda, out, classes);
    out.writeInt(lambda.getCapturedArgCount());
    return bytes.toByteArray();
  }

  private static void writeParts(
      SerializedLambda lambda, DataOutputStream out, Codec.ClassTable classes) throws IOException {
    String capturing = lambda.getCapturingClass().replace('/', '.');
    // Named by string here, where a stream would name it as a class: its package is one this
    // side sent, so that the lambda's results of that package's classes come back.
    classes.named(capturing);
    out.writeUTF(capturing);
    out.writeUTF(lambda.getFunctionalInterfaceClass());
    out.writeUTF(lambda.getFunctionalInterfaceMethodName());
    out.writeUTF(lambda.getFunctionalInterfaceMethodSignature());
    out.writeInt(lambda.getImplMethodKind());
    out.writeUTF(lambda.getImplClass());
    out.writeUTF(lambda.getImplMethodName());
    out.writeUTF(lambda.getImplMethodSignature());
    out.writeUTF(lambda.getInstantiatedMethodType());
  }

  /**
   * Makes the function of {@code form} again; a CAPTURING form's is the {@link LambdaTemplate} that
   * makes its lambdas.
   *
   * @throws ClassNotFoundException if a class it names is not here
   * @throws InvalidClassException if a class it names is refused by the filter, or is not as it was
   *     on the writer's side
   * @throws IOException if the form is corrupt, or the function cannot be made
   */
  static Object read(byte[] form, Codec.ClassIndex classes)
      throws IOException, ClassNotFoundException {
    if (form.length == 0) {
      throw new StreamCorruptedException("an empty function form");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(form, 1, form.length - 1));
    switch (form[0]) {
      case STREAM:
        return classes.decode(form, 1, form.length - 1);
      case INSTANCE:
        return instance(classes.resolveChecked(in.readUTF()), in.readLong());
      case LAMBDA:
        return LambdaTemplate.read(in, classes, false).make(new Object[0]);
      case CAPTURING:
        return LambdaTemplate.read(in, classes, true);
      default:
        throw new StreamCorruptedException("unknown function form " + form[0]);
    }
  }

  private static Object instance(Class<?> type, long suid) throws IOException {
    Long here = declaredSuid(type);
    if (here == null || here != suid || !SentFunctions.stateless(type)) {
      throw new InvalidClassException(
          type.getName(),
          "not as on the sending side (serialVersionUID "
              + suid
              + " there, "
              + here
              + " here, or it holds state here); the pool and its workers must run the same"
              + " classes");
    }
    if (Instances.FACTORY == null) {
      throw new InvalidClassException(type.getName(), "this JVM has no jdk.unsupported module");
    }
    try {
      return Instances.of(type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw (InvalidClassException)
          new InvalidClassException(type.getName(), "could not be made: " + e).initCause(e);
    }
  }

  /**
   * The parts of a serializable lambda, read from its form, that make it again: as {@code
   * SerializedLambda.readResolve} does, by its capturing class's {@code $deserializeLambda$}, which
   * makes only the lambdas that class's code holds (a form that names another method is refused
   * there), with the values it captured. The capturing class passed the reader's filter when the
   * form was read; the values name no class (compact forms) or came through an object stream with
   * the same filter. Immutable once read.
   */
  static final class LambdaTemplate {
    private final Class<?> capturing;
    private final Method deserialize;
    private final String functionalInterface;
    private final String functionalMethod;
    private final String functionalSignature;
    private final int implKind;
    private final String implClass;
    private final String implMethod;
    private final String implSignature;
    private final String instantiatedType;
    private final int captures;

    private LambdaTemplate(
        Class<?> capturing, Method deserialize, DataInputStream in, boolean withCaptures)
        throws IOException {
      this.capturing = capturing;
      this.deserialize = deserialize;
      this.functionalInterface = in.readUTF();
      this.functionalMethod = in.readUTF();
      this.functionalSignature = in.readUTF();
      this.implKind = in.readInt();
      this.implClass = in.readUTF();
      this.implMethod = in.readUTF();
      this.implSignature = in.readUTF();
      this.instantiatedType = in.readUTF();
      this.captures = withCaptures ? in.readInt() : 0;
      if (captures < 0 || captures > LambdaCaptures.MAX_CAPTURES) {
        throw new StreamCorruptedException("a lambda of " + captures + " captured values");
      }
    }

    static LambdaTemplate read(DataInputStream in, Codec.ClassIndex classes, boolean withCaptures)
        throws IOException, ClassNotFoundException {
      Class<?> capturing = classes.resolveChecked(in.readUTF());
      Method deserialize;
      try {
        deserialize = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        deserialize.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw (InvalidClassException)
            new InvalidClassException(
                    capturing.getName(),
                    "has no serializable lambda here; the pool and its workers must run the same"
                        + " classes")
                .initCause(e);
      }
      return new LambdaTemplate(capturing, deserialize, in, withCaptures);
    }

    /** How many values each of its lambdas captured. */
    int captures() {
      return captures;
    }

    /**
     * Makes its lambda with {@code captured}, {@link #captures()} values.
     *
     * @throws InvalidClassException if the capturing class has no such lambda here, or the values
     *     do not fit it
     */
    Object make(Object[] captured) throws InvalidClassException {
      SerializedLambda lambda =
          new SerializedLambda(
              capturing,
              functionalInterface,
              functionalMethod,
              functionalSignature,
              implKind,
              implClass,
              implMethod,
              implSignature,
              instantiatedType,
              captured);
      try {
        return deserialize.invoke(null, lambda);
      } catch (InvocationTargetException e) {
        // $deserializeLambda$ found no lambda of this shape (the class is not as it was there), or
        // a captured value of another type than its lambda's.
        throw (InvalidClassException)
            new InvalidClassException(
                    capturing.getName(),
                    "has no such serializable lambda as on the sending side ("
                        + e.getCause()
                        + "); the pool and its workers must run the same classes")
                .initCause(e.getCause());
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw (InvalidClassException)
            new InvalidClassException(capturing.getName(), "its lambda could not be made: " + e)
                .initCause(e);
      }
    }
  }

  /**
   * Returns the SerializedLambda of {@code function}, a lambda, if the reader can make it by
   * reflection as this JVM can; else null.
   */
  private static SerializedLambda serializedLambda(Object function) {
    SerializedLambda lambda = LambdaCaptures.serializedLambda(function);
    if (lambda == null) {
      return null;
    }
    try {
      Class<?> capturing =
          Class.forName(
              lambda.getCapturingClass().replace('/', '.'),
              false,
              function.getClass().getClassLoader());
      capturing
          .getDeclaredMethod("$deserializeLambda$", SerializedLambda.class)
          .setAccessible(true);
      return lambda;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // travels as a stream, as before
    }
  }

  /**
   * The serialVersionUID {@code type} declares, if it declares one that this JVM can read; else
   * null (a stream computes a default one, which only a stream here would compare).
   */
  private static Long declaredSuid(Class<?> type) {
    try {
      Field field = type.getDeclaredField("serialVersionUID");
      int mods = field.getModifiers();
      if (!Modifier.isStatic(mods) || !Modifier.isFinal(mods) || field.getType() != long.class) {
        return null;
      }
      field.setAccessible(true);
      return field.getLong(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Makes objects as serialization does: through {@code sun.reflect.ReflectionFactory} (the
   * supported {@code jdk.unsupported} module, reached by reflection so that the build names no
   * internal API), which runs the no-argument constructor of the first class up the hierarchy that
   * is not serializable: {@code Object}'s, for a stateless function.
   */
  private static final class Instances {
    static final Object FACTORY;
    static final Method NEW_CONSTRUCTOR;

    static {
      Object factory = null;
      Method newConstructor = null;
      try {
        Class<?> type = Class.forName("sun.reflect.ReflectionFactory");
        factory = type.getMethod("getReflectionFactory").invoke(null);
        newConstructor = type.getMethod("newConstructorForSerialization", Class.class);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        factory = null; // no jdk.unsupported: functions travel as streams
      }
      FACTORY = factory;
      NEW_CONSTRUCTOR = newConstructor;
    }

    static Object of(Class<?> type) throws ReflectiveOperationException {
      Constructor<?> constructor = (Constructor<?>) NEW_CONSTRUCTOR.invoke(FACTORY, type);
      if (constructor == null) {
        throw new InstantiationException(type.getName() + " has no serialization constructor");
      }
      return constructor.newInstance();
    }
  }

  /** What a filter is told of a class named by a form: the class alone, as a stream tells it. */
  record Named(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 1;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }
}
