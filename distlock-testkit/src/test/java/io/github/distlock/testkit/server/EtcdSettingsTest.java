package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtcdSettingsTest {

  @Test
  void minLeaseTtlFollowsEtcdsFormula() {
    EtcdSettings defaults = EtcdSettings.defaults();
    // 10 election ticks of 100 ms: (3 * 10) / 2 * 100 ms = 1.5 s, rounded up to 2 s.
    assertThat(defaults.minLeaseTtl()).isEqualTo(Duration.ofSeconds(2));
    // 10 ticks of 50 ms: 0.75 s, rounded up to 1 s.
    assertThat(
            defaults
                .withHeartbeatInterval(Duration.ofMillis(50))
                .withElectionTimeout(Duration.ofMillis(500))
                .minLeaseTtl())
        .isEqualTo(Duration.ofSeconds(1));
    // 30 ticks of 100 ms: 4.5 s, rounded up to 5 s.
    assertThat(defaults.withElectionTimeout(Duration.ofSeconds(3)).minLeaseTtl())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsTimingEtcdWouldRefuse() {
    EtcdSettings tooShort = EtcdSettings.defaults().withElectionTimeout(Duration.ofMillis(400));
    assertThatThrownBy(tooShort::validated)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 x heartbeatInterval");
    assertThatThrownBy(() -> EtcdSettings.defaults().withHeartbeatInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesTheJsonGatewayStatus() {
    EtcdMemberStatus status =
        EtcdMemberStatus.parse(
            "{\"header\":{\"cluster_id\":\"1\",\"member_id\":\"13510015062231200447\","
                + "\"revision\":\"1\",\"raft_term\":\"2\"},\"version\":\"3.4.23\","
                + "\"leader\":\"13510015062231200447\",\"raftIndex\":\"5\",\"raftTerm\":\"2\"}");
    assertThat(status.memberId()).isEqualTo("13510015062231200447");
    assertThat(status.claimsLeadership()).isTrue();
    assertThat(status.raftTerm()).isEqualTo(2);
    assertThat(EtcdMemberStatus.parse("{\"header\":{\"member_id\":\"7\"}}").claimsLeadership())
        .isFalse();
  }
}
