package org.agrifusion.jobs.web;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * A department is an extract destination (conf/extracts, {@code destination}); its staff hold the role
 * {@code DEPT_<DESTINATION>}: the destination's last path segment upper-cased, every other character
 * than a letter or digit as {@code _} ({@code shanxi-postal-administration} →
 * {@code DEPT_SHANXI_POSTAL_ADMINISTRATION}).
 */
final class Departments {

  static final String PREFIX = "DEPT_";

  private Departments() {}

  /** The role (without Spring's ROLE_ prefix) of a destination's staff. */
  static String role(String destination) {
    String trimmed = destination.replaceAll("/+$", "");
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return PREFIX + last.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The department roles the user holds (DEPT_...). */
  static Set<String> of(Authentication auth) {
    if (auth == null || !auth.isAuthenticated()) {
      return Set.of();
    }
    return auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .filter(a -> a.startsWith("ROLE_" + PREFIX)).map(a -> a.substring("ROLE_".length()))
        .collect(Collectors.toUnmodifiableSet());
  }
}
