package org.mustjava.data.pipeline;

/** A batch could not be produced because of the input data; the message names the file(s). */
public final class InputDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
