/** The jfutures worker SPI: how a process-pool worker is launched and spoken to. */
module io.jfutures.spi {
  requires transitive io.jfutures.api;

  exports io.jfutures.spi;
  exports io.jfutures.spi.backend;

  uses io.jfutures.spi.WorkerLauncher;
}
