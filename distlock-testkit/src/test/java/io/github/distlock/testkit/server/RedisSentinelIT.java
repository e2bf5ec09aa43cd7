package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.testkit.junit.ClassResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One group for the whole class; the tests run in order because each fails the master over. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {

  private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension
  static final ClassResource<RedisSentinelGroup> GROUP = ClassResource.of(
      () -> RedisSentinelGroup.builder().masterName("orders").start());

  @Test
  @Order(1)
  void sentinelsAgreeOnTheMasterAndKnowTheReplicaAndEachOther() throws Exception {
    RedisServer initialMaster = GROUP.get().servers().get(0);
    RedisServer initialReplica = GROUP.get().servers().get(1);

    assertThat(GROUP.get().masterName()).isEqualTo("orders");
    assertThat(GROUP.get().sentinelUri())
        .isEqualTo(
            "redis-sentinel://127.0.0.1:" + GROUP.get().sentinel(0).port() + ",127.0.0.1:"
                + GROUP.get().sentinel(1).port() + ",127.0.0.1:" + GROUP.get().sentinel(2).port()
                + "#orders");
    assertThat(GROUP.get().currentMasterPort()).isEqualTo(initialMaster.port());
    assertThat(GROUP.get().master()).isSameAs(initialMaster);
    assertThat(GROUP.get().replica()).isSameAs(initialReplica);
    for (RedisServer sentinel : GROUP.get().sentinels()) {
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
    RedisServer oldMaster = GROUP.get().master();
    RedisServer oldReplica = GROUP.get().replica();
    long start = System.nanoTime();

    RedisServer newMaster = GROUP.get().failover();

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(newMaster).isSameAs(oldReplica);
    assertThat(took).isLessThan(FAILOVER_DEADLINE);
    assertThat(GROUP.get().currentMasterPort()).isEqualTo(oldReplica.port());
    assertThat(newMaster.command("SET", "after", "failover")).isEqualTo("OK");

    // The old master is turned into a replica of the new one.
    GROUP.get().awaitHealthy(FAILOVER_DEADLINE);
    assertThat(GROUP.get().replica()).isSameAs(oldMaster);
    Map<String, String> replication =
        RedisCluster.infoFields(oldMaster.command("INFO", "replication"));
    assertThat(replication)
        .containsEntry("role", "slave")
        .containsEntry("master_port", Integer.toString(newMaster.port()));
  }

  @Test
  @Order(3)
  void killingTheMasterMakesTheSentinelsPromoteTheReplica() {
    GROUP.get().awaitHealthy(FAILOVER_DEADLINE);
    RedisServer master = GROUP.get().master();
    RedisServer replica = GROUP.get().replica();

    master.kill();
    GROUP.get().awaitMaster(replica, FAILOVER_DEADLINE);

    assertThat(GROUP.get().master()).isSameAs(replica);
    assertThat(replica.command("SET", "after", "kill")).isEqualTo("OK");
  }
}
