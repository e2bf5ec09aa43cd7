package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One group for the whole class; the tests run in order because each fails the master over. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {

  private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(30);

  private static RedisSentinelGroup group;

  @BeforeAll
  static void startGroup() {
    group = RedisSentinelGroup.builder().masterName("orders").start();
  }

  @AfterAll
  static void closeGroup() {
    if (group != null) {
      group.close();
    }
  }

  @Test
  @Order(1)
  void sentinelsAgreeOnTheMasterAndKnowTheReplicaAndEachOther() throws Exception {
    RedisServer initialMaster = group.servers().get(0);
    RedisServer initialReplica = group.servers().get(1);

    assertThat(group.masterName()).isEqualTo("orders");
    assertThat(group.sentinelUri())
        .isEqualTo(
            "redis-sentinel://127.0.0.1:" + group.sentinel(0).port() + ",127.0.0.1:"
                + group.sentinel(1).port() + ",127.0.0.1:" + group.sentinel(2).port()
                + "#orders");
    assertThat(group.currentMasterPort()).isEqualTo(initialMaster.port());
    assertThat(group.master()).isSameAs(initialMaster);
    assertThat(group.replica()).isSameAs(initialReplica);
    for (RedisServer sentinel : group.sentinels()) {
      assertThat(sentinel.isSentinel()).isTrue();
      try (RespConnection connection = sentinel.connect(Duration.ofSeconds(5))) {
        assertThat(connection.commandReply("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "orders"))
            .isEqualTo(List.of("127.0.0.1", Integer.toString(initialMaster.port())));
      }
      assertThat(sentinel.command("INFO", "sentinel"))
          .contains(
              "name=orders,status=ok,address=127.0.0.1:" + initialMaster.port()
                  + ",slaves=1,sentinels=3");
      // The sentinel rewrote its own config file.
      assertThat(sentinel.directory().resolve("sentinel.conf")).content().contains("sentinel myid");
    }
    // The replica has the master's data.
    initialMaster.command("SET", "k", "v");
    initialMaster.command("WAIT", "1", "5000");
    assertThat(initialReplica.command("GET", "k")).isEqualTo("v");
    assertThatThrownBy(() -> initialReplica.command("SET", "k", "w"))
        .isInstanceOfSatisfying(
            RespErrorException.class, e -> assertThat(e.code()).isEqualTo("READONLY"));
  }

  @Test
  @Order(2)
  void failoverPromotesTheReplica() {
    RedisServer oldMaster = group.master();
    RedisServer oldReplica = group.replica();
    long start = System.nanoTime();

    RedisServer newMaster = group.failover();

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(newMaster).isSameAs(oldReplica);
    assertThat(took).isLessThan(FAILOVER_DEADLINE);
    assertThat(group.currentMasterPort()).isEqualTo(oldReplica.port());
    assertThat(newMaster.command("SET", "after", "failover")).isEqualTo("OK");

    // The old master is turned into a replica of the new one.
    group.awaitHealthy(FAILOVER_DEADLINE);
    assertThat(group.replica()).isSameAs(oldMaster);
    Map<String, String> replication =
        RedisCluster.infoFields(oldMaster.command("INFO", "replication"));
    assertThat(replication)
        .containsEntry("role", "slave")
        .containsEntry("master_port", Integer.toString(newMaster.port()));
  }

  @Test
  @Order(3)
  void killingTheMasterMakesTheSentinelsPromoteTheReplica() {
    group.awaitHealthy(FAILOVER_DEADLINE);
    RedisServer master = group.master();
    RedisServer replica = group.replica();

    master.kill();
    group.awaitMaster(replica, FAILOVER_DEADLINE);

    assertThat(group.master()).isSameAs(replica);
    assertThat(replica.command("SET", "after", "kill")).isEqualTo("OK");
  }
}
