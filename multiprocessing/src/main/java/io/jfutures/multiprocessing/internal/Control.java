package io.jfutures.multiprocessing.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The notes a child sends its parent about how it ends, one or two bytes each. The parent reads
 * them until the channel's end-of-file, which comes when the child's process is gone.
 */
final class Control {
  /** The child's shutdown hooks run: it exits through {@code System.exit} or a handled signal. */
  static final int HOOKS = 'H';

  /** Followed by a signal number: the child received that signal and exits because of it. */
  static final int SIGNAL = 'S';

  private final OutputStream toParent;

  Control(OutputStream toParent) {
    this.toParent = toParent;
  }

  /** Sends a note; a parent that is gone is no error (the child is ending anyway). */
  synchronized void note(int... bytes) {
    try {
      for (int b : bytes) {
        toParent.write(b);
      }
      toParent.flush();
    } catch (IOException e) {
      // the parent is gone
    }
  }
}
