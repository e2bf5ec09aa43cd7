package io.github.distlock.testkit.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one etcd member says about itself and the leader, from the JSON gateway's {@code POST
 * /v3/maintenance/status}. Ids are unsigned 64-bit numbers, kept as the decimal text etcd sends.
 */
record EtcdMemberStatus(String memberId, String leaderId, long raftTerm) {

  private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)\"?");
  private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)\"?");
  private static final Pattern RAFT_TERM = Pattern.compile("\"raftTerm\"\\s*:\\s*\"?(\\d+)\"?");

  /** Whether this member believes it is the leader. */
  boolean claimsLeadership() {
    return !"0".equals(leaderId) && leaderId.equals(memberId);
  }

  /** Parses the gateway's JSON (a leader of {@code 0} or none means "no leader known"). */
  static EtcdMemberStatus parse(String json) {
    String member = find(MEMBER_ID, json);
    if (member == null) {
      throw new IllegalArgumentException("no header.member_id in etcd status: " + json);
    }
    String leader = find(LEADER, json);
    String term = find(RAFT_TERM, json);
    return new EtcdMemberStatus(
        member, leader == null ? "0" : leader, term == null ? 0 : Long.parseUnsignedLong(term));
  }

  private static String find(Pattern pattern, String json) {
    Matcher matcher = pattern.matcher(json);
    return matcher.find() ? matcher.group(1) : null;
  }
}
