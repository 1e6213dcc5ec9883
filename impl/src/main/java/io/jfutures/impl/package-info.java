/**
 * The executors: {@link io.jfutures.impl.ProcessPoolExecutor} runs serializable tasks in a pool of
 * child JVMs, {@link io.jfutures.impl.ThreadPoolExecutor} on threads; both are built with {@code
 * newBuilder()} and are {@link io.jfutures.api.Executor}s.
 */
package io.jfutures.impl;
