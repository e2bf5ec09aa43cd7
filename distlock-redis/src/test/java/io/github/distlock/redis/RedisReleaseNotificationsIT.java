package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.redis.internal.HandOffs;
import io.github.distlock.redis.internal.ReleaseNotifications;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        withNotifications(notifications -> {
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
        });
    }

    @Test
    void aHandOffFromTheReleaseReplyCompletesOnlyTheGranteeAndTheMessageThenWakesTheReaders() throws Exception {
        withNotifications(notifications -> {
            String channel = "lock:{handed-from-reply}:c";
            String tag = HandOffs.tag("grantee");
            AtomicLong handed = new AtomicLong();
            CompletableFuture<Void> first = arm(notifications, channel, true);
            CompletableFuture<Void> reader = arm(notifications, channel, false);
            CompletableFuture<Void> grantee = notifications.arm(channel, tag, handed::set)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            // The releasing client's own reply: synchronous, and only the grantee is completed.
            notifications.handedOff(channel, "h:" + tag + ":42");
            assertThat(grantee).isCompleted();
            assertThat(handed.get()).isEqualTo(42);
            assertThat(reader).isNotDone();
            assertThat(first).isNotDone();
            // A reply that is not a hand-off wakes nobody.
            notifications.handedOff(channel, "1");
            assertThat(reader).isNotDone();

            // The same hand-off's message, arriving afterwards: the readers wake, no writer does.
            SERVER.get().command("SPUBLISH", channel, "h:" + tag + ":42");
            await().atMost(WAIT).until(reader::isDone);
            assertThat(first).isNotDone();
            assertThat(handed.get()).isEqualTo(42);
        });
    }

    @Test
    void aReleaseNamesTheLongestWaitingWriterHereAndAFailedOneWakesTheChannelsWaiters() throws Exception {
        withNotifications(notifications -> {
            String channel = "lock:{named}:c";
            String other = "lock:{other}:c";
            assertThat(notifications.firstHandOffTag(channel)).isEmpty();
            CompletableFuture<Void> reader = arm(notifications, channel, false);
            assertThat(notifications.firstHandOffTag(channel)).isEmpty();
            CompletableFuture<Void> first = notifications.arm(channel, HandOffs.tag("first"), token -> { })
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Void> second = notifications.arm(channel, HandOffs.tag("second"), token -> { })
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Void> elsewhere = arm(notifications, other, true);
            assertThat(notifications.firstHandOffTag(channel)).isEqualTo(HandOffs.tag("first"));
            first.cancel(false); // stopped waiting: the next one is named
            assertThat(notifications.firstHandOffTag(channel)).isEqualTo(HandOffs.tag("second"));

            notifications.wakeAll(channel);
            assertThat(second).isCompleted();
            assertThat(reader).isCompleted();
            assertThat(elsewhere).isNotDone();
            assertThat(notifications.firstHandOffTag(channel)).isEmpty();
        });
    }

    /** Runs a test against a fresh multiplexer on its own pub/sub connection, then closes it. */
    private static void withNotifications(Body body) throws Exception {
        RedisClient client = RedisClient.create(SERVER.get().uri());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (ReleaseNotifications notifications = new ReleaseNotifications(client.connectPubSub(), scheduler)) {
            body.run(notifications);
        } finally {
            scheduler.shutdownNow();
            client.shutdown();
        }
    }

    private interface Body {
        void run(ReleaseNotifications notifications) throws Exception;
    }

    private static CompletableFuture<Void> arm(ReleaseNotifications notifications, String channel, boolean exclusive)
            throws Exception {
        return notifications.arm(channel, exclusive).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
