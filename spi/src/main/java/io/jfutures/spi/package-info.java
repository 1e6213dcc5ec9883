/**
 * What worker implementers compile against: a {@link io.jfutures.spi.WorkerLauncher}, found by
 * {@link java.util.ServiceLoader} and chosen by name in the process pool's builder, starts a worker
 * from a {@link io.jfutures.spi.WorkerSpec} and hands back a {@link io.jfutures.spi.WorkerHandle}:
 * a private byte channel to the worker plus its lifecycle.
 *
 * <p>The pool owns everything spoken on the channel (framing, serialization, the task protocol); a
 * launcher only decides where the worker runs and how bytes reach it. jfutures ships two launchers:
 * {@code local-jvm}, a child JVM per worker (the default), and {@code in-process}, a thread of the
 * same JVM per worker, for fast tests and for stepping through a task in a debugger.
 */
package io.jfutures.spi;
