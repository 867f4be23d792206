package org.agrifusion.jobs.support;

import java.util.Optional;

/** Walking an exception's chain of causes, for the one line a user reads about a failure. */
public final class Causes {

  private Causes() {}

  /** The innermost cause (the exception itself when it has none). */
  public static Throwable root(Throwable error) {
    Throwable c = error;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** The innermost cause's message, or its class name when it has none. */
  public static String rootMessage(Throwable error) {
    Throwable root = root(error);
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** The first exception of the chain, outermost first, that is a {@code type}. */
  public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
