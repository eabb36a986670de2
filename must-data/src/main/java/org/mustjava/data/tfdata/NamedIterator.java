package org.mustjava.data.tfdata;

import java.util.List;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.data.Iterator;
import org.tensorflow.op.data.IteratorGetNext;

/**
 * A graph iterator over a {@link RawDataset}: a named {@code Iterator} resource, the {@code
 * MakeIterator} op that (re)starts it and the {@code IteratorGetNext} outputs that yield one element
 * per {@code Session.run}.
 *
 * <p>Why named: an anonymous iterator resource does not survive from one {@code Session.run} call to
 * the next, while an {@code Iterator} with a {@code shared_name} lives in the session's resource
 * manager. The name is made unique within the graph.
 *
 * <p>The end of the data shows as {@link TFOutOfRangeException} from any run fetching {@link
 * #next()}; {@link #next(Session)} turns that into {@code null}.
 */
public final class NamedIterator {
  private static final java.util.concurrent.atomic.AtomicLong SHARED_NAMES = new java.util.concurrent.atomic.AtomicLong();
  private final Iterator iterator;
  private final Op initializer;
  private final IteratorGetNext getNext;

  private NamedIterator(Iterator iterator, Op initializer, IteratorGetNext getNext) {
    this.iterator = iterator;
    this.initializer = initializer;
    this.getNext = getNext;
  }

  /** Creates the iterator ops for {@code dataset}, named after {@code name} (made unique). */
  public static NamedIterator create(Ops tf, String name, RawDataset dataset) {
    String unique = tf.scope().makeUnique(name);
    Ops named = tf.withSubScope(unique);
    // The shared name must be unique in the graph, not only in the parent scope: two pipelines
    // built under different scopes (train and eval inputs) would otherwise share one iterator.
    String shared = unique + "_" + SHARED_NAMES.incrementAndGet();
    Iterator it = named.withName("iterator").data.iterator(shared, "", dataset.types(), dataset.shapes());
    Op init = named.withName("initializer").data.makeIterator(dataset.handle(), it);
    IteratorGetNext next = named.withName("get_next").data.iteratorGetNext(it, dataset.types(), dataset.shapes());
    return new NamedIterator(it, init, next);
  }

  /** Runs this to start (or restart from the beginning) the iteration. */
  public Op initializer() {
    return initializer;
  }

  /** One output per element component; fetching them advances the iterator. */
  public List<Output<?>> next() {
    return getNext.components();
  }

  /** The iterator resource handle. */
  public Iterator resource() {
    return iterator;
  }

  /** Runs {@link #initializer()}. */
  public void initialize(Session session) {
    session.runner().addTarget(initializer).run().close();
  }

  /**
   * Fetches the next element; the caller closes the result. Returns {@code null} at the end of the
   * data.
   */
  public Result next(Session session) {
    Session.Runner r = session.runner();
    for (Output<?> o : getNext.components()) {
      r.fetch(o);
    }
    try {
      return r.run();
    } catch (TFOutOfRangeException endOfSequence) {
      return null;
    }
  }

  /** Whether {@code e} (thrown by a run that fetched iterator outputs) means the data is exhausted. */
  public static boolean isEndOfSequence(Throwable e) {
    return e instanceof TFOutOfRangeException;
  }
}
