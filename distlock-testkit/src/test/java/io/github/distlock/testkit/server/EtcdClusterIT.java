package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.junit.ClassResource;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdClusterIT {

  /** Generous for 2 busy cores: an election itself takes 1-2 election timeouts (1-2 s). */
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(15);

  /** Shared by the tests; {@link #heal()} restores all members after a fault. */
  @RegisterExtension
  static final ClassResource<EtcdCluster> CLUSTER = ClassResource.of(EtcdCluster::start);

  @AfterEach
  void heal() {
    for (EtcdServer node : CLUSTER.get().nodes()) {
      node.resume();
      if (!node.isRunning()) {
        node.restart();
      }
    }
    CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
  }

  @Test
  void threeHealthyMembersWithOneLeader() {
    assertThat(CLUSTER.get().size()).isEqualTo(3);
    assertThat(CLUSTER.get().endpoints().split(",")).hasSize(3).allMatch(e -> e.startsWith("http://127.0.0.1:"));
    for (EtcdServer node : CLUSTER.get().nodes()) {
      assertThat(node.isHealthy(Duration.ofSeconds(2))).as(node.toString()).isTrue();
    }
    int leader = CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
    assertThat(leader).isBetween(0, 2);
    assertThat(CLUSTER.get().leaderIndex()).isEqualTo(leader);
    assertThat(CLUSTER.get().etcdctl("member", "list").lines()).hasSize(3);
  }

  @Test
  void aPutOnOneMemberIsReadableOnAnother() {
    CLUSTER.get().node(0).etcdctl("put", "cluster/replicated", "everywhere");

    assertThat(CLUSTER.get().node(2).etcdctl("get", "cluster/replicated", "--print-value-only").strip())
        .isEqualTo("everywhere");
  }

  @Test
  void killingTheLeaderElectsAnotherAndTheKilledMemberRejoins() {
    int oldLeader = CLUSTER.get().killLeader();

    assertThat(CLUSTER.get().node(oldLeader).isRunning()).isFalse();
    int newLeader = CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
    assertThat(newLeader).isNotEqualTo(oldLeader);

    assertThat(CLUSTER.get().availableEndpoints().split(","))
        .hasSize(2)
        .doesNotContain(CLUSTER.get().node(oldLeader).endpoint());
    assertThat(CLUSTER.get().etcdctl("put", "cluster/after-failover", "written").strip()).isEqualTo("OK");
    int otherSurvivor = otherThan(oldLeader, newLeader);
    assertThat(
            CLUSTER.get().node(otherSurvivor)
                .etcdctl("get", "cluster/after-failover", "--print-value-only")
                .strip())
        .isEqualTo("written");

    CLUSTER.get().restart(oldLeader);

    assertThat(CLUSTER.get().node(oldLeader).isHealthy(Duration.ofSeconds(2))).isTrue();
    assertThat(
            CLUSTER.get().node(oldLeader)
                .etcdctl("get", "cluster/after-failover", "--print-value-only")
                .strip())
        .isEqualTo("written");
  }

  @Test
  void pausingTheLeaderElectsAnotherAndTheResumedOneFollows() {
    int oldLeader = CLUSTER.get().awaitLeader(ELECTION_DEADLINE);

    CLUSTER.get().pause(oldLeader);

    int newLeader = CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
    assertThat(newLeader).isNotEqualTo(oldLeader);

    CLUSTER.get().resume(oldLeader);

    assertThat(CLUSTER.get().awaitLeader(ELECTION_DEADLINE)).isNotEqualTo(oldLeader);
    assertThat(CLUSTER.get().node(oldLeader).isHealthy(Duration.ofSeconds(2))).isTrue();
  }

  private static int otherThan(int a, int b) {
    List<Integer> rest =
        IntStream.range(0, CLUSTER.get().size()).filter(i -> i != a && i != b).boxed().toList();
    return rest.get(0);
  }
}
