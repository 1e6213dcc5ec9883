/** The jfutures API: what callers compile against. */
module io.jfutures.api {
  exports io.jfutures.api;
}
