package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.List;

/**
 * The codes a place text was resolved to and how sure that is. Ambiguous and unresolved texts are
 * reported with their candidates or nothing, never guessed.
 */
public record Resolution(Status status, List<String> codes, List<String> unresolved) implements Serializable {

  public enum Status {
    /** Nothing was given. */
    EMPTY,
    /** Every part of the text was resolved. */
    RESOLVED,
    /** Some parts were resolved, others not (they are listed in {@code unresolved}). */
    PARTIAL,
    /** The text names more than one place; {@code codes} holds the candidates. */
    AMBIGUOUS,
    /** No part of the text is a known place. */
    UNRESOLVED
  }

  static final Resolution EMPTY = new Resolution(Status.EMPTY, List.of(), List.of());

  public boolean resolved() {
    return status == Status.RESOLVED;
  }

  /** The one code of a resolved single place, else null. */
  public String code() {
    return status == Status.RESOLVED && codes.size() == 1 ? codes.get(0) : null;
  }
}
