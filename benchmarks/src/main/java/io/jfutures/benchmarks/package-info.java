/**
 * Benchmarks of jfutures against CPython's {@code concurrent.futures}: {@link
 * io.jfutures.benchmarks.PeerWorkloads} runs the workloads of {@code python_peer.py} (W1 to W8) and
 * {@link io.jfutures.benchmarks.Compare} tabulates both sides; the {@code *Benchmark} classes are
 * JMH microbenchmarks.
 *
 * <p>Nothing here is API: the package is a tool, built into {@code target/benchmarks.jar}.
 */
package io.jfutures.benchmarks;
