package org.mustjava.data.convert;

/** A command-line value that cannot be used (the tool exits 2 and prints the usage). */
public final class InvalidOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidOptionException(String message) {
    super(message);
  }
}
