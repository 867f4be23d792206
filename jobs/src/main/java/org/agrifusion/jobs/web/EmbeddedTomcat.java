package org.agrifusion.jobs.web;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The portal's Tomcat without its JVM-wide URL stream handler factory. A JVM has one; Tomcat
 * registers its own (for war: URLs, which an embedded server never serves) and fails to start with
 * "factory already defined" when another holds it: Spark takes it for hdfs: URLs when a session
 * starts first in the same JVM (`agri serve` starts no Spark; a test JVM runs both).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class EmbeddedTomcat {

  @Bean
  TomcatContextCustomizer noUrlStreamHandlerFactory() {
    return context -> TomcatURLStreamHandlerFactory.disable();
  }
}
