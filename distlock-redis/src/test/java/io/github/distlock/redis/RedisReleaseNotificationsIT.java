package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.redis.internal.ReleaseNotifications;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who a release notification wakes: every shared waiter of the channel, and one exclusive
 * waiter, the one that armed first and is still waiting (only one can win; waking them all
 * made every local waiter run the acquire script on each hand-off of a hot key).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisReleaseNotificationsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    @Test
    void aReleaseWakesEverySharedWaiterAndTheFirstExclusiveWaiterStillWaiting() throws Exception {
        RedisClient client = RedisClient.create(SERVER.get().uri());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (ReleaseNotifications notifications = new ReleaseNotifications(client.connectPubSub(), scheduler)) {
            String channel = "lock:{wake-one}:c";
            CompletableFuture<Void> x1 = arm(notifications, channel, true);
            CompletableFuture<Void> s1 = arm(notifications, channel, false);
            CompletableFuture<Void> x2 = arm(notifications, channel, true);
            CompletableFuture<Void> s2 = arm(notifications, channel, false);
            CompletableFuture<Void> x3 = arm(notifications, channel, true);
            CompletableFuture<Void> x4 = arm(notifications, channel, true);

            SERVER.get().command("SPUBLISH", channel, "x");
            await().atMost(WAIT).until(() -> x1.isDone() && s1.isDone() && s2.isDone());
            // One message was delivered and handled as a whole: it woke one exclusive waiter.
            assertThat(x2).isNotDone();
            assertThat(x3).isNotDone();

            x2.cancel(false); // gave up: the next release skips it
            SERVER.get().command("SPUBLISH", channel, "x");
            await().atMost(WAIT).until(x3::isDone);
            assertThat(x3).isCompleted();
            assertThat(x4).isNotDone();
        } finally {
            scheduler.shutdownNow();
            client.shutdown();
        }
    }

    private static CompletableFuture<Void> arm(ReleaseNotifications notifications, String channel, boolean exclusive)
            throws Exception {
        return notifications.arm(channel, exclusive).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
