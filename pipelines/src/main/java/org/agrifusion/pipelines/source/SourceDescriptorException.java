package org.agrifusion.pipelines.source;

/** A descriptor that cannot be used; the message names the file, the field and the problem. */
public class SourceDescriptorException extends RuntimeException {

  public SourceDescriptorException(String file, String field, String problem) {
    super(file + ": " + field + ": " + problem);
  }

  public SourceDescriptorException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
