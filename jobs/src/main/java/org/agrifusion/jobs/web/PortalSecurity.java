package org.agrifusion.jobs.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.agrifusion.jobs.config.AgriProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may see what in the portal ({@code agri serve}): form login against the users of
 * {@code agri.portal.users}, role checks per route on the server, CSRF tokens on every POST, and
 * headers that forbid inline scripts, framing and sniffing. Only in the servlet application: batch
 * commands build none of this.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class PortalSecurity {

  public static final String ANALYST = "ANALYST";

  /** Pages load scripts, styles and images from the portal only; nothing inline, no frames. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

  @Bean
  SecurityFilterChain portal(HttpSecurity http) throws Exception {
    http
        .authorizeHttpRequests(a -> a
            .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/error").permitAll()
            .requestMatchers("/").authenticated()
            // which department's files: checked per request by Extracts (403 for another's)
            .requestMatchers("/extracts/**").access((auth, ctx) -> new AuthorizationDecision(!Departments.of(auth.get()).isEmpty()))
            // deny by default: every other route (search, its CSV, charts, runs, and any page added later) is the analysts'
            .anyRequest().hasRole(ANALYST))
        // a download link followed without a session is refused, not answered with the login page;
        // every other request without one goes to the login page, whatever it accepts
        .exceptionHandling(e -> e
            .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/extracts/*/*/*"),
                    PathPatternRequestMatcher.withDefaults().matcher("/runs/*/report.html")))
            .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), AnyRequestMatcher.INSTANCE))
        .formLogin(f -> f.loginPage("/login").permitAll())
        .logout(l -> l.logoutSuccessUrl("/login?logout"))
        .headers(h -> h
            .contentSecurityPolicy(c -> c.policyDirectives(CSP))
            .frameOptions(f -> f.deny())
            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
    return http.build();
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  /** The users of agri.portal.users; their hashes say their algorithm ({bcrypt}...), as DelegatingPasswordEncoder reads them. */
  @Bean
  UserDetailsService users(AgriProperties properties) {
    InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
    for (AgriProperties.User u : properties.portal().users()) {
      if (u.name() == null || u.passwordHash() == null || !u.passwordHash().startsWith("{")) {
        throw new IllegalArgumentException("agri.portal.users: user '" + u.name()
            + "' needs a name and a password-hash with its algorithm, e.g. {bcrypt}$2a$10$... (README, Portal)");
      }
      users.createUser(User.withUsername(u.name()).password(u.passwordHash())
          .roles(u.roles().toArray(String[]::new)).build());
    }
    return users;
  }

  /** agri.portal.port and agri.portal.address (loopback unless an operator opens it). */
  @Bean
  WebServerFactoryCustomizer<ConfigurableWebServerFactory> portalAddress(AgriProperties properties,
      org.springframework.core.env.Environment environment) {
    return factory -> {
      // an explicit server.port wins: a test's random port (0); two test contexts in one JVM both took 8088
      if (!environment.containsProperty("server.port")) {
        factory.setPort(properties.portal().port());
      }
      try {
        factory.setAddress(InetAddress.getByName(properties.portal().address()));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("agri.portal.address '" + properties.portal().address() + "' is not an address");
      }
    };
  }
}
