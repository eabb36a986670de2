package org.mustjava.core.checkpoint;

/** A partial restore found missing, extra or mismatched variables that were not declared expected. */
public final class CheckpointMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient RestoreReport report;

  public CheckpointMismatchException(String checkpoint, RestoreReport report) {
    super("checkpoint " + checkpoint + " does not match the model (nothing was restored):\n" + report
        + "\n(list names or name prefixes as expected to accept a difference)");
    this.report = report;
  }

  public RestoreReport report() {
    return report;
  }
}
