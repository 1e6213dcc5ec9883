package io.jfutures.impl.internal.process;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * The values a serializable lambda captured, when every one of them has a compact form ({@link
 * Codec#compact}): a lambda such as {@code () -> fib(n)} or {@code x -> x * factor} then travels as
 * its function's id and those values ({@link SentFunctions}), and the worker makes it with the
 * lambda's own {@code $deserializeLambda$} ({@link FunctionForms.LambdaTemplate}), without an
 * object stream at either end.
 *
 * <p>They are what the lambda's {@code writeReplace} gives, the method Java serialization calls to
 * write it, found once per lambda class. Stateless: a cache per class.
 */
final class LambdaCaptures {
  /** The most values a lambda sent this way may capture; one with more travels as a stream. */
  static final int MAX_CAPTURES = 255;

  /** A serializable lambda class's accessible {@code writeReplace}, or null for any other class. */
  private static final ClassValue<Method> WRITE_REPLACE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          if (!SentFunctions.isLambda(type)) {
            return null;
          }
          try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace;
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not serializable, or not reachable here: travels as a stream
          }
        }
      };

  private LambdaCaptures() {}

  /**
   * Returns the values {@code function} captured if it is a serializable lambda that captured from
   * 1 to {@link #MAX_CAPTURES} values, each of which has a compact form; else null.
   */
  static Object[] compact(Object function) {
    SerializedLambda lambda = serializedLambda(function);
    if (lambda == null) {
      return null;
    }
    int count = lambda.getCapturedArgCount();
    if (count == 0 || count > MAX_CAPTURES) {
      return null;
    }
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      Object value = lambda.getCapturedArg(i);
      if (!Codec.compact(value)) {
        return null;
      }
      values[i] = value;
    }
    return values;
  }

  /**
   * Returns {@code function}'s {@link SerializedLambda} if it is a serializable lambda; else null.
   */
  static SerializedLambda serializedLambda(Object function) {
    Method writeReplace = WRITE_REPLACE.get(function.getClass());
    if (writeReplace == null) {
      return null;
    }
    try {
      return writeReplace.invoke(function) instanceof SerializedLambda lambda ? lambda : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
