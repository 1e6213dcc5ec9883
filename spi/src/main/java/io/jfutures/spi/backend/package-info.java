/**
 * The executor backend SPI: where an executor's tasks run, at the level of behaviour rather than
 * bytes. A backend places a task on one of its {@link io.jfutures.spi.backend.BackendWorker
 * workers}, reports the task's outcome, stops it on request, and reports a worker's arrival and
 * loss; the executor in front of it ({@code io.jfutures.impl.BackendExecutor}) keeps the queue, the
 * futures, the failure policy, retries and timeouts.
 *
 * <p>A worker is whatever runs tasks in parallel and can be lost as a whole: a child JVM, or a
 * member of a cluster. Each backend declares its {@link io.jfutures.spi.backend.BackendCapability
 * capabilities}, and the executor refuses at build time a setting that needs one the backend lacks.
 *
 * <p>jfutures ships two backends: {@code io.jfutures.impl.LocalProcessBackend}, child JVMs of this
 * one, and {@code io.jfutures.hazelcast.HazelcastBackend}, the members of a Hazelcast cluster.
 */
package io.jfutures.spi.backend;
