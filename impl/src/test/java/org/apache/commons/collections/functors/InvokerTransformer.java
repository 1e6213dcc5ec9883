package org.apache.commons.collections.functors;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * Has the name and shape of a well-known deserialization gadget: its readObject "executes" (here:
 * sets a flag). Used to show that the pool never deserializes it.
 */
public final class InvokerTransformer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Set if an instance was ever deserialized in this JVM. */
  public static volatile boolean executed;

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    executed = true;
  }
}
