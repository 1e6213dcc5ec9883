/**
 * The process pool's machinery, both ends of it: {@link
 * io.jfutures.impl.internal.process.ProcessPool} schedules tasks onto workers, {@link
 * io.jfutures.impl.internal.process.PoolWorker} speaks to one worker over {@link
 * io.jfutures.impl.internal.process.Frames} serialized by {@link
 * io.jfutures.impl.internal.process.Codec}, and {@link
 * io.jfutures.impl.internal.process.WorkerMain} is the worker's side. Not exported.
 */
package io.jfutures.impl.internal.process;
