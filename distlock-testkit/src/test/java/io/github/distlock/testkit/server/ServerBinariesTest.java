package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBinariesTest {

  @Test
  void missingBinaryFailsWithTheInstallCommand() {
    assertThatThrownBy(() -> ServerBinaries.find("distlock-no-such-binary", "distlock-no-such-pkg"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "distlock-no-such-binary not found on PATH. Install it with: scripts/install-servers"
                + " (or: apt-get install -y distlock-no-such-pkg)");
  }

  @Test
  void missingUnknownBinaryGuessesThePackageFromItsName() {
    assertThatThrownBy(() -> ServerBinaries.find("distlock-no-such-binary"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("(or: apt-get install -y distlock-no-such-binary)");
  }

  @Test
  void knowsTheDebianPackageOfEachServerBinary() {
    assertThat(ServerBinaries.packageFor("redis-server")).isEqualTo("redis-server");
    assertThat(ServerBinaries.packageFor("etcd")).isEqualTo("etcd-server");
    assertThat(ServerBinaries.packageFor("etcdctl")).isEqualTo("etcd-client");
    assertThat(ServerBinaries.packageFor("redis-cli")).isEqualTo("redis-tools");
    assertThat(ServerBinaries.missingMessage("etcd", ServerBinaries.packageFor("etcd")))
        .isEqualTo(
            "etcd not found on PATH. Install it with: scripts/install-servers"
                + " (or: apt-get install -y etcd-server)");
  }

  @Test
  void findsOnlyExecutableFiles(@TempDir Path dir) throws Exception {
    Path plain = Files.writeString(dir.resolve("plain"), "not a program");
    Path tool = Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectory(dir.resolve("folder"));

    assertThat(ServerBinaries.find("tool", "tool-pkg", List.of(dir))).isEqualTo(tool);
    assertThat(plain).exists();
    assertThatThrownBy(() -> ServerBinaries.find("plain", "plain-pkg", List.of(dir)))
        .hasMessageContaining("apt-get install -y plain-pkg");
    assertThatThrownBy(() -> ServerBinaries.find("folder", "folder-pkg", List.of(dir)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theServersTheFixturesNeedAreInstalled() {
    // Fails (never skips) on a machine without them, with the install command in the message.
    assertThat(ServerBinaries.redisServer()).isExecutable();
    assertThat(ServerBinaries.etcd()).isExecutable();
    assertThat(ServerBinaries.etcdctl()).isExecutable();
  }
}
