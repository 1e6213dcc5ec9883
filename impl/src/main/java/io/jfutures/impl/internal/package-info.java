/**
 * Internals shared by both executors: {@link io.jfutures.impl.internal.TaskFuture}, the future
 * every submit returns, and {@link io.jfutures.impl.internal.MapIterator}, the lazy engine of
 * {@code map}. Not exported; may change at any time.
 */
package io.jfutures.impl.internal;
