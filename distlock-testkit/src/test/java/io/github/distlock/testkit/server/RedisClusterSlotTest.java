package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisClusterSlotTest {

  @Test
  void slotsMatchKnownRedisValues() {
    // Values from CLUSTER KEYSLOT on redis-server 7.0.
    assertThat(RedisCluster.slot("123456789")).isEqualTo(12739); // CRC16/XMODEM check value 0x31C3
    assertThat(RedisCluster.slot("foo")).isEqualTo(12182);
    assertThat(RedisCluster.slot("bar")).isEqualTo(5061);
    assertThat(RedisCluster.slot("orders")).isEqualTo(105);
    assertThat(RedisCluster.slot("")).isZero();
  }

  @Test
  void hashTagsFollowRedisRules() {
    assertThat(RedisCluster.slot("{orders}:lock")).isEqualTo(RedisCluster.slot("orders"));
    assertThat(RedisCluster.slot("x{orders}y{other}")).isEqualTo(RedisCluster.slot("orders"));
    // An empty tag does not count: the whole key is hashed.
    assertThat(RedisCluster.slot("a{}{b}")).isNotEqualTo(RedisCluster.slot("b"));
    // Only the first '{' counts, and the first '}' after it.
    assertThat(RedisCluster.slot("{{a}}")).isEqualTo(RedisCluster.slot("{a"));
    assertThat(RedisCluster.slot("}{a}")).isEqualTo(RedisCluster.slot("a"));
    assertThat(RedisCluster.slot("no-close{abc")).isNotEqualTo(RedisCluster.slot("abc"));
    assertThat(RedisCluster.slot("héllo".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(RedisCluster.slot("héllo"));
  }

  @Test
  void parsesClusterNodesLines() {
    RedisCluster.ClusterNode master =
        RedisCluster.ClusterNode.parse(
            "07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,host.example"
                + " myself,master - 0 1426238317239 4 connected 0-5460 5461 [5462->-abc]");
    assertThat(master.port()).isEqualTo(30004);
    assertThat(master.isMaster()).isTrue();
    assertThat(master.healthy()).isTrue();
    assertThat(master.serves(0)).isTrue();
    assertThat(master.serves(5461)).isTrue();
    assertThat(master.serves(5462)).isFalse();

    RedisCluster.ClusterNode replica =
        RedisCluster.ClusterNode.parse(
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 slave,fail"
                + " 07c37dfeb235213a872192d90877d0cd55635b91 0 1426238316232 4 disconnected");
    assertThat(replica.isReplica()).isTrue();
    assertThat(replica.masterId()).isEqualTo("07c37dfeb235213a872192d90877d0cd55635b91");
    assertThat(replica.healthy()).isFalse();
    assertThat(replica.slots()).isEmpty();
  }
}
