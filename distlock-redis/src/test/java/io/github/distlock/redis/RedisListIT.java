package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.testkit.server.RedisServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing held locks uses SCAN with the prefix and reports only held locks. */
class RedisListIT {

    @Test
    void listsHeldLocksUnderAPrefixIncludingSharedAndOddKeys() throws Exception {
        try (RedisServer server = RedisServer.start(); DistributedLock locks = DistributedLocks.open(server.uri())) {
            String run = "list-" + UUID.randomUUID() + "/";
            LockLease a = locks.acquire(run + "a");
            LockLease b = locks.acquire(run + "b*{x}", LockOptions.builder().shared().build());
            LockLease c = locks.acquire(run + "c");
            c.release();
            LockLease other = locks.acquire("elsewhere-" + run);
            List<LockInfo> listed = locks.listLocks(run, 100);
            assertThat(listed).extracting(LockInfo::key).containsExactly(run + "a", run + "b*{x}");
            assertThat(listed.get(1).type()).contains(LockType.SHARED);
            assertThat(locks.listLocks(run, 1)).hasSize(1);
            assertThat(locks.listLocks("", 1000)).extracting(LockInfo::key).contains("elsewhere-" + run);
            a.release();
            b.release();
            other.release();
            assertThat(locks.listLocks(run, 100)).isEmpty();
            String commandStats = server.command("INFO", "commandstats");
            assertThat(commandStats).contains("cmdstat_scan").doesNotContain("cmdstat_keys");
        }
    }
}
