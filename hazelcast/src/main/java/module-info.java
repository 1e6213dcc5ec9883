/** Runs jfutures executors' tasks on the members of a Hazelcast cluster. */
// Hazelcast's jar has no descriptor of its own, only an Automatic-Module-Name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.jfutures.hazelcast {
  requires transitive io.jfutures.impl;
  requires transitive com.hazelcast.core;

  exports io.jfutures.hazelcast;
}
