package org.agrifusion.jobs;

import org.agrifusion.jobs.support.Causes;
import org.agrifusion.jobs.cli.AgriCommandLine;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.web.Serve;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** Entry point of the agri-fusion command line: {@code agri <command> [options]}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AgriFusionApplication {

  public static void main(String[] args) {
    // Help, --version, completion and usage errors are answered at once, without starting the application.
    java.util.OptionalInt answered = AgriCommandLine.beforeContext(args);
    if (answered.isPresent()) {
      System.exit(answered.getAsInt());
    }
    boolean serve = Serve.isServe(args);
    if (serve) {
      try {
        args = Serve.springArgs(args);
      } catch (IllegalArgumentException e) {
        System.err.println("agri: " + e.getMessage());
        System.exit(ExitCodes.USAGE);
      }
    }
    SpringApplication app = new SpringApplication(AgriFusionApplication.class);
    // Only `agri serve` starts a web server; batch commands (and Spark's UI) must not hold a port.
    app.setWebApplicationType(serve ? WebApplicationType.SERVLET : WebApplicationType.NONE);
    // Operators edit conf/application.yml next to the jar; AGRI_CONF_DIR points elsewhere.
    String confDir = System.getenv().getOrDefault("AGRI_CONF_DIR", "conf");
    app.setDefaultProperties(java.util.Map.of("spring.config.additional-location", "optional:file:" + confDir + "/"));
    ConfigurableApplicationContext context;
    try {
      context = app.run(args);
    } catch (RuntimeException e) {
      if (org.agrifusion.jobs.config.JobRepositoryFailover.connectionLost(e)) {
        // the job repository is down, not misconfigured: a service restart later may well work
        System.exit(AgriCommandLine.failed("start-up", e));
      }
      // A broken descriptor, setting or input: say what is wrong in one line, not in a stack trace.
      System.err.println("agri: " + Causes.root(e).getMessage());
      System.exit(ExitCodes.CONFIGURATION);
      return;
    }
    if (serve && context.getBean(AgriCommandLine.class).getExitCode() == ExitCodes.OK) {
      return; // the portal runs until SIGTERM (Spring's shutdown hook stops it)
    }
    System.exit(SpringApplication.exit(context));
  }
}
