package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.junit.ClassResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterIT {

  private static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
  private static final Duration HEAL = Duration.ofSeconds(45);

  @RegisterExtension
  static final ClassResource<RedisCluster> CLUSTER = ClassResource.of(
      () -> RedisCluster.builder().masters(3).nodeTimeout(NODE_TIMEOUT).start());

  @AfterEach
  void heal() {
    for (RedisServer node : CLUSTER.get().nodes()) {
      node.resume();
      if (!node.isRunning()) {
        node.restart();
      }
    }
    CLUSTER.get().awaitHealthy(HEAL);
  }

  @Test
  void everyNodeReportsClusterStateOkWithAllSlots() {
    assertThat(CLUSTER.get().size()).isEqualTo(3);
    assertThat(CLUSTER.get().masters()).containsExactlyElementsOf(CLUSTER.get().nodes());
    assertThat(CLUSTER.get().replicas()).isEmpty();
    assertThat(CLUSTER.get().seedUri()).isEqualTo(CLUSTER.get().node(0).uri());
    assertThat(CLUSTER.get().uris())
        .containsExactly(
            "redis://127.0.0.1:" + CLUSTER.get().node(0).port(),
            "redis://127.0.0.1:" + CLUSTER.get().node(1).port(),
            "redis://127.0.0.1:" + CLUSTER.get().node(2).port());
    for (RedisServer node : CLUSTER.get().nodes()) {
      Map<String, String> info = RedisCluster.infoFields(node.command("CLUSTER", "INFO"));
      assertThat(info)
          .containsEntry("cluster_state", "ok")
          .containsEntry("cluster_slots_assigned", "16384")
          .containsEntry("cluster_known_nodes", "3");
    }
    // Master i owns the i-th third of the slots.
    assertThat(CLUSTER.get().masterFor(0)).isSameAs(CLUSTER.get().node(0));
    assertThat(CLUSTER.get().masterFor(8191)).isSameAs(CLUSTER.get().node(1));
    assertThat(CLUSTER.get().masterFor(16383)).isSameAs(CLUSTER.get().node(2));
  }

  @Test
  void slotComputationMatchesClusterKeyslot() {
    List<String> keys =
        List.of(
            "", "a", "foo", "lock:orders", "héllo", "{user1}.a", "{user1}.b", "x{user1}y",
            "{}", "{}x", "a{}{b}", "{a}{b}", "{{a}}", "}{a}", "no}brace{", "123456789",
            "distlock:{tenant-7}:lock:payments");
    RedisServer any = CLUSTER.get().node(1);
    for (String key : keys) {
      assertThat(RedisCluster.slot(key))
          .as("slot of <%s>", key)
          .isEqualTo(Integer.parseInt(any.command("CLUSTER", "KEYSLOT", key)));
    }
    assertThat(RedisCluster.slot("123456789")).isEqualTo(0x31C3 & 16383); // CRC16/XMODEM check
    assertThat(RedisCluster.slot("{user1}.a")).isEqualTo(RedisCluster.slot("user1"));
  }

  @Test
  void theOwningMasterAcceptsAWriteAndTheOthersAnswerMoved() {
    String key = "lock:{orders}";
    RedisServer owner = CLUSTER.get().masterForKey(key);

    assertThat(owner.command("SET", key, "v1")).isEqualTo("OK");
    assertThat(owner.command("GET", key)).isEqualTo("v1");

    int slot = RedisCluster.slot(key);
    for (RedisServer other : CLUSTER.get().nodes()) {
      if (other != owner) {
        assertThatThrownBy(() -> other.command("SET", key, "v2"))
            .isInstanceOfSatisfying(
                RespErrorException.class,
                e -> {
                  assertThat(e.code()).isEqualTo("MOVED");
                  assertThat(e.getMessage())
                      .isEqualTo("MOVED " + slot + " 127.0.0.1:" + owner.port());
                });
      }
    }
  }

  @Test
  void aKilledMasterRejoinsAfterRestartAndTheClusterHeals() {
    RedisServer victim = CLUSTER.get().node(2);
    String nodeId = CLUSTER.get().nodeId(2);
    String key = "{k}" + "victim";
    int slot = RedisCluster.slot(key);
    RedisServer owner = CLUSTER.get().masterFor(slot);

    victim.kill();
    // Once the others flag it as failed, the cluster stops serving: full coverage is required.
    awaitClusterState(CLUSTER.get().node(0), "fail");

    victim.restart();
    CLUSTER.get().awaitHealthy(HEAL);

    assertThat(victim.command("CLUSTER", "MYID")).isEqualTo(nodeId);
    assertThat(CLUSTER.get().masterFor(16383)).isSameAs(victim);
    assertThat(CLUSTER.get().masterFor(slot)).isSameAs(owner);
    assertThat(owner.command("SET", key, "after")).isEqualTo("OK");
  }

  @Test
  void withReplicasAKilledMasterIsReplacedByItsReplica() {
    try (RedisCluster replicated =
        RedisCluster.builder().masters(3).replicasPerMaster(1).nodeTimeout(NODE_TIMEOUT).start()) {
      assertThat(replicated.size()).isEqualTo(6);
      assertThat(replicated.masters()).containsExactlyElementsOf(replicated.nodes().subList(0, 3));
      assertThat(replicated.replicas()).containsExactlyElementsOf(replicated.nodes().subList(3, 6));
      // Replica of master 1 is node 3 + 1.
      assertThat(replicated.node(4).command("CLUSTER", "NODES"))
          .contains("myself,slave " + replicated.nodeId(1));

      RedisServer oldMaster = replicated.node(1);
      RedisServer replica = replicated.node(4);
      oldMaster.kill();

      awaitMaster(replicated, 8191, replica);
      replicated.awaitHealthy(HEAL);
      String key = keyServedBy(replicated, replica);
      assertThat(replica.command("SET", key, "1")).isEqualTo("OK");

      oldMaster.restart();
      replicated.awaitHealthy(HEAL);
      assertThat(
              replicated.replicas().stream().map(RedisServer::port).collect(Collectors.toList()))
          .contains(oldMaster.port());
    }
  }

  private static String keyServedBy(RedisCluster c, RedisServer master) {
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      if (c.masterForKey(key) == master) {
        return key;
      }
    }
  }

  private static void awaitClusterState(RedisServer node, String state) {
    await()
        .atMost(HEAL)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> RedisCluster.infoFields(node.command("CLUSTER", "INFO")).get("cluster_state"),
            state::equals);
  }

  private static void awaitMaster(RedisCluster c, int slot, RedisServer expected) {
    await()
        .atMost(HEAL)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> c.masterFor(slot) == expected);
  }
}
