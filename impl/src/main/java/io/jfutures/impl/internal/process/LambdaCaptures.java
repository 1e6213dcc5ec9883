package io.jfutures.impl.internal.process;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * The values a serializable lambda captured, which travel with each of its tasks while the lambda's
 * parts go to each worker once ({@link SentFunctions}): a lambda such as {@code () -> fib(n)},
 * {@code x -> x * factor} or {@code () -> score(order)}. The worker makes it with the lambda's own
 * {@code $deserializeLambda$} ({@link FunctionForms.LambdaTemplate}), as a stream's {@code
 * readResolve} would.
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
   * 1 to {@link #MAX_CAPTURES} values; else null.
   */
  static Object[] of(Object function) {
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
      values[i] = lambda.getCapturedArg(i);
    }
    return values;
  }

  /**
   * Whether {@code values} can each travel in compact form ({@link Codec#compact}): then none names
   * a class and no object stream is needed. Not if an array is among them twice: a stream keeps the
   * two one array, as the lambda had them, where compact forms would make two.
   */
  static boolean allCompact(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (!Codec.compact(value)) {
        return false;
      }
      if (value != null && value.getClass().isArray()) {
        for (int j = 0; j < i; j++) {
          if (values[j] == value) {
            return false;
          }
        }
      }
    }
    return true;
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
