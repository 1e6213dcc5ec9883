/** A Micrometer {@code MeterBinder} for the jfutures pools. */
// Micrometer's jar has no descriptor of its own, only an Automatic-Module-Name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.jfutures.micrometer {
  requires transitive io.jfutures.impl;
  requires transitive micrometer.core;

  exports io.jfutures.micrometer;
}
