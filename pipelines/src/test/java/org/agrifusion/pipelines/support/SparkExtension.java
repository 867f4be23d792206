package org.agrifusion.pipelines.support;

import java.util.Map;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies one local SparkSession per test JVM (built with the production settings) to test
 * constructors or methods that declare a {@link SparkSession} parameter.
 */
public final class SparkExtension implements ParameterResolver {

  private static SparkSession session;

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSessions.create("agri-fusion-tests", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session();
  }
}
