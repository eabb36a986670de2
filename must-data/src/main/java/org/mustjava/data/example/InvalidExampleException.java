package org.mustjava.data.example;

/** A {@code tf.train.Example} that does not follow the feature spec; the message names the key. */
public final class InvalidExampleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidExampleException(String message) {
    super(message);
  }

  public InvalidExampleException(String message, Throwable cause) {
    super(message, cause);
  }
}
