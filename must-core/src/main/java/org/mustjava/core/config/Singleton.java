package org.mustjava.core.config;

/**
 * The built-in {@code singleton} configurable, as in gin: {@code @Name()} calls Name anew at every
 * evaluation; to share one object, bind a scoped singleton and reference that instead:
 *
 * <pre>
 * shared_vocab/singleton.constructor = @Vocabulary
 * Encoder.vocab = @shared_vocab/singleton()
 * Decoder.vocab = @shared_vocab/singleton()     # the same Vocabulary object
 * </pre>
 *
 * The object is cached per {@link Injector} (one run) and per referenced configurable and scope.
 */
public final class Singleton {
  private Singleton() {}

  /** The cached result of {@code constructor}, created by its first use. */
  @Configurable(value = "singleton", module = "must.config")
  public static Object singleton(ConfigurableReference<?> constructor) {
    return constructor.singleton();
  }
}
