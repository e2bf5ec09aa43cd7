package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void allocatesDistinctBindableLoopbackPorts() throws Exception {
    int[] ports = FreePorts.allocate(10);

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(10);
    for (int port : ports) {
      assertThat(port).isBetween(1, 65535);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    }
  }

  @Test
  void neverHandsOutAPortTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      assertThat(seen.add(FreePorts.allocate())).isTrue();
    }
  }

  @Test
  void rejectsANonPositiveCount() {
    assertThatThrownBy(() -> FreePorts.allocate(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
