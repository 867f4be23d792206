package org.agrifusion.jobs.web;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * Prints the {@code agri.portal.users[].password-hash} of a password read from the terminal (or
 * stdin), never from the command line, where it would stay in the shell's history (README, "Portal").
 */
public final class HashPassword {

  private HashPassword() {}

  public static void main(String[] args) throws IOException {
    Console console = System.console();
    String password = console != null ? new String(console.readPassword("password: "))
        : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (password == null || password.isBlank()) {
      System.err.println("agri: no password given");
      System.exit(2);
    }
    System.out.println(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password));
  }
}
