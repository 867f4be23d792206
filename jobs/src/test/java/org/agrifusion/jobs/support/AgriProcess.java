package org.agrifusion.jobs.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrifusion.jobs.AgriFusionApplication;

/**
 * The {@code agri} command in a JVM of its own, on the test classpath (the same classes as the fat
 * jar), with its output in a file: for tests of what separate processes do to each other.
 */
public final class AgriProcess {

  private final Process process;
  private final Path output;

  private AgriProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code agri <args>} in {@code dir} with the environment {@code env} added. */
  public static AgriProcess start(Path dir, Map<String, String> env, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(command::add);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AgriFusionApplication.class.getName());
    command.addAll(List.of(args));
    Path output = dir.resolve(name + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return new AgriProcess(builder.start(), output);
  }

  public String output() {
    try {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until the output contains {@code text}; fails when the process ends first or time runs out. */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the output of " + output + (process.isAlive() ? "" : " (the process ended)")
            + ":\n" + tail(output(), 3000));
      }
      Thread.sleep(200);
    }
  }

  /** SIGTERM, as systemd stops a service. */
  public void terminate() {
    process.destroy();
  }

  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + timeout + ":\n" + tail(output(), 3000));
    }
    return process.exitValue();
  }

  public void kill() {
    process.destroyForcibly();
  }

  public static String tail(String text, int chars) {
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  /** Deletes the indices whose names start with {@code prefix} (the node refuses wildcard deletes). */
  public static void deleteIndices(String esUrl, String prefix) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String names = http.send(HttpRequest.newBuilder(URI.create(esUrl + "/_cat/indices/" + prefix + "*?h=index")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String index : names.strip().split("\\s+")) {
      if (index.startsWith(prefix)) {
        http.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
      }
    }
  }
}
