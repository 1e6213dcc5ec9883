/**
 * Runnable examples of jfutures, Java versions of the programs users of Python's {@code
 * concurrent.futures} know; {@link io.jfutures.samples.Main} runs them by name.
 *
 * <p>Each sample is a small class with a {@code main} method and a static method that does the
 * work, prints what happens and returns what it observed, so that its tests can check it.
 */
package io.jfutures.samples;
