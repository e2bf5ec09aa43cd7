package io.github.distlock.testkit.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the server executables the fixtures run ({@code redis-server}, {@code etcd},
 * {@code etcdctl}).
 *
 * <p>Looks on {@code PATH} and then in {@code /usr/sbin}, {@code /usr/bin} and
 * {@code /usr/local/bin} (a non-login shell or a CI runner may have a short {@code PATH}). A missing
 * binary is an error, not a reason to skip: the lookup throws {@link IllegalStateException} whose
 * message says how to install it, so a test run on a machine without the servers fails loudly.
 */
public final class ServerBinaries {

  /** Debian package that provides each binary, for the install hint. */
  private static final Map<String, String> PACKAGES =
      Map.of(
          "redis-server", "redis-server",
          "redis-cli", "redis-tools",
          "etcd", "etcd-server",
          "etcdctl", "etcd-client",
          "openssl", "openssl",
          "keytool", "openjdk-17-jre-headless");

  private static final List<Path> EXTRA_DIRS =
      List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin"));

  private ServerBinaries() {}

  /**
   * Returns the {@code redis-server} executable. Call it before starting a Redis fixture.
   *
   * @throws IllegalStateException if it is not installed; the message gives the install command
   */
  public static Path redisServer() {
    return find("redis-server");
  }

  /**
   * Returns the {@code etcd} executable. Call it before starting an etcd fixture.
   *
   * @throws IllegalStateException if it is not installed; the message gives the install command
   */
  public static Path etcd() {
    return find("etcd");
  }

  /**
   * Returns the {@code etcdctl} executable, which the etcd fixtures use for admin commands.
   *
   * @throws IllegalStateException if it is not installed; the message gives the install command
   */
  public static Path etcdctl() {
    return find("etcdctl");
  }

  /**
   * Finds an executable by name on {@code PATH}, {@code /usr/sbin}, {@code /usr/bin} and {@code
   * /usr/local/bin}. Use it for binaries other than the three with their own methods.
   *
   * @param name the executable's file name, e.g. {@code "redis-server"}
   * @return the absolute path of the first executable regular file with that name
   * @throws IllegalStateException if none is found; the message gives the install command (the
   *     Debian package is guessed to have the binary's name when it is not one of the known three)
   */
  public static Path find(String name) {
    return find(name, packageFor(name));
  }

  /** Same as {@link #find(String)} but with the Debian package named explicitly (for tests). */
  static Path find(String name, String debianPackage) {
    return find(name, debianPackage, searchDirs());
  }

  /** Looks only in {@code dirs}; package-private so a test can point it at a temp dir. */
  static Path find(String name, String debianPackage, List<Path> dirs) {
    for (Path dir : dirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException(missingMessage(name, debianPackage));
  }

  /** The message for a missing binary, e.g. for {@code redis-server}. */
  static String missingMessage(String name, String debianPackage) {
    return name
        + " not found on PATH. Install it with: scripts/install-servers (or: apt-get install -y "
        + debianPackage
        + ")";
  }

  /** The Debian package that provides {@code name}; the name itself when unknown. */
  static String packageFor(String name) {
    return PACKAGES.getOrDefault(name, name);
  }

  private static List<Path> searchDirs() {
    Set<Path> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isEmpty()) {
          dirs.add(Path.of(entry));
        }
      }
    }
    dirs.addAll(EXTRA_DIRS);
    return new ArrayList<>(dirs);
  }
}
