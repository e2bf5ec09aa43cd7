package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EtcdClusterIT {

  /** Generous for 2 busy cores: an election itself takes 1-2 election timeouts (1-2 s). */
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(15);

  /** Shared by the tests; {@link #heal()} restores all members after a fault. */
  private static EtcdCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = EtcdCluster.start();
  }

  @AfterAll
  static void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void heal() {
    for (EtcdServer node : cluster.nodes()) {
      node.resume();
      if (!node.isRunning()) {
        node.restart();
      }
    }
    cluster.awaitLeader(ELECTION_DEADLINE);
  }

  @Test
  void threeHealthyMembersWithOneLeader() {
    assertThat(cluster.size()).isEqualTo(3);
    assertThat(cluster.endpoints().split(",")).hasSize(3).allMatch(e -> e.startsWith("http://127.0.0.1:"));
    for (EtcdServer node : cluster.nodes()) {
      assertThat(node.isHealthy(Duration.ofSeconds(2))).as(node.toString()).isTrue();
    }
    int leader = cluster.awaitLeader(ELECTION_DEADLINE);
    assertThat(leader).isBetween(0, 2);
    assertThat(cluster.leaderIndex()).isEqualTo(leader);
    assertThat(cluster.etcdctl("member", "list").lines()).hasSize(3);
  }

  @Test
  void aPutOnOneMemberIsReadableOnAnother() {
    cluster.node(0).etcdctl("put", "cluster/replicated", "everywhere");

    assertThat(cluster.node(2).etcdctl("get", "cluster/replicated", "--print-value-only").strip())
        .isEqualTo("everywhere");
  }

  @Test
  void killingTheLeaderElectsAnotherAndTheKilledMemberRejoins() {
    int oldLeader = cluster.killLeader();

    assertThat(cluster.node(oldLeader).isRunning()).isFalse();
    int newLeader = cluster.awaitLeader(ELECTION_DEADLINE);
    assertThat(newLeader).isNotEqualTo(oldLeader);

    assertThat(cluster.availableEndpoints().split(","))
        .hasSize(2)
        .doesNotContain(cluster.node(oldLeader).endpoint());
    assertThat(cluster.etcdctl("put", "cluster/after-failover", "written").strip()).isEqualTo("OK");
    int otherSurvivor = otherThan(oldLeader, newLeader);
    assertThat(
            cluster.node(otherSurvivor)
                .etcdctl("get", "cluster/after-failover", "--print-value-only")
                .strip())
        .isEqualTo("written");

    cluster.restart(oldLeader);

    assertThat(cluster.node(oldLeader).isHealthy(Duration.ofSeconds(2))).isTrue();
    assertThat(
            cluster.node(oldLeader)
                .etcdctl("get", "cluster/after-failover", "--print-value-only")
                .strip())
        .isEqualTo("written");
  }

  @Test
  void pausingTheLeaderElectsAnotherAndTheResumedOneFollows() {
    int oldLeader = cluster.awaitLeader(ELECTION_DEADLINE);

    cluster.pause(oldLeader);

    int newLeader = cluster.awaitLeader(ELECTION_DEADLINE);
    assertThat(newLeader).isNotEqualTo(oldLeader);

    cluster.resume(oldLeader);

    assertThat(cluster.awaitLeader(ELECTION_DEADLINE)).isNotEqualTo(oldLeader);
    assertThat(cluster.node(oldLeader).isHealthy(Duration.ofSeconds(2))).isTrue();
  }

  private static int otherThan(int a, int b) {
    List<Integer> rest =
        IntStream.range(0, cluster.size()).filter(i -> i != a && i != b).boxed().toList();
    return rest.get(0);
  }
}
