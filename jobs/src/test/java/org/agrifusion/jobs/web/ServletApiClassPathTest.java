package org.agrifusion.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;

/**
 * The portal's Tomcat 11 and Spark's UI (shaded Jetty 11) share one class path: the Servlet 6.1 API
 * must win (Tomcat and Spring MVC call it), and the Servlet 5 types that 6 removed must still load
 * (Jetty 11 uses them). jobs/pom.xml puts tomcat-embed-core first to get both.
 */
class ServletApiClassPathTest {

  @Test
  void servletSixOneClassesComeFromTomcat() throws Exception {
    assertThat(ServletRequest.class.getMethod("getRequestId")).isNotNull(); // Servlet 6.0+
    assertThat(ServletRequest.class.getProtectionDomain().getCodeSource().getLocation().toString()).contains("tomcat-embed-core");
  }

  @Test
  void sparksJettyStillCreatesItsServlets() {
    // what the Spark UI does for every page: failed with NoClassDefFoundError jakarta/servlet/SingleThreadModel
    // when only the Servlet 6.1 API was on the class path
    assertThatCode(() -> new org.sparkproject.jetty.servlet.ServletHolder(new HttpServlet() {})).doesNotThrowAnyException();
  }
}
