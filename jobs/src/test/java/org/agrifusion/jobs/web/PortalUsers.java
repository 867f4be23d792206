package org.agrifusion.jobs.web;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The portal's three kinds of user for tests, as agri.portal.users: an analyst and two departments. */
final class PortalUsers {

  static final String[][] USERS = {{"analyst", "ANALYST"}, {"agri-dept", "DEPT_SHANXI_AGRICULTURE_DEPARTMENT"},
      {"postal-dept", "DEPT_SHANXI_POSTAL_ADMINISTRATION"}};

  private PortalUsers() {}

  /** Every user with the password's bcrypt hash (cost 4: tests need no slow hashing). */
  static void register(DynamicPropertyRegistry registry, String password) {
    String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password);
    for (int i = 0; i < USERS.length; i++) {
      String[] u = USERS[i];
      registry.add("agri.portal.users[" + i + "].name", () -> u[0]);
      registry.add("agri.portal.users[" + i + "].password-hash", () -> hash);
      registry.add("agri.portal.users[" + i + "].roles[0]", () -> u[1]);
    }
  }
}
