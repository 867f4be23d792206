package org.agrifusion.pipelines.sink.extract;

/** An extract definition that cannot be used; the message names the file, the field and the problem. */
public class ExtractSpecException extends RuntimeException {

  public ExtractSpecException(String file, String field, String problem) {
    super(file + ": " + field + ": " + problem);
  }
}
