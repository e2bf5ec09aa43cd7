package io.github.distlock.redis.internal;

import io.github.distlock.internal.Exceptions;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Releases cut off by a lost connection, sent again once the connection is back.
 *
 * <p>When a connection is reset, Lettuce fails the command at the head of its in-flight queue
 * with the socket's error (it re-sends the others after reconnecting), and until it has
 * reconnected it can fail new commands at once with that error (when the error came as the
 * connection closed). Either way the release may never
 * have reached the server: a holder's lock would then stay until its TTL runs out, and a waiter's
 * give-up would leave its marker, to which the next release hands the lock, for as long. The
 * release is owner-checked and owner tokens are never reused, so sending it again cannot touch
 * anybody else's grant: if the first one was applied after all, the second finds nothing and
 * answers "not held". Each release is sent again at most {@link #MAX_RESENDS} times, each time
 * once the connection is up again.
 */
public final class ReleaseResends {

    /** How often one release is sent again at most (each needs a lost connection first). */
    public static final int MAX_RESENDS = 3;
    /** First look at the connection after a failure (by then a reset one is usually marked down; a re-send that fails again counts as one). */
    private static final long FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Looks at the connection back off to this interval while it is down. */
    private static final long MAX_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Stops looking after this long down: what the release would free then expires with its TTL, as without it. */
    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final BooleanSupplier connected;
    private final ScheduledExecutorService scheduler;

    /**
     * @param connected whether the commands connection is up now (reconnected, its handshake
     *         done), which is what a re-send needs; polled, so that no reconnect can be missed
     * @param scheduler looks at the connection and runs the re-sends, off the I/O thread that
     *         reported the failure
     */
    public ReleaseResends(BooleanSupplier connected, ScheduledExecutorService scheduler) {
        this.connected = connected;
        this.scheduler = scheduler;
    }

    /**
     * Whether a failed call may not have reached the server because its connection was lost
     * (a reset, a closed socket), as opposed to a timeout or an error the server answered.
     *
     * @param failure the call's failure
     * @return whether sending it again once reconnected may help
     */
    public static boolean connectionLost(Throwable failure) {
        return Exceptions.find(failure, IOException.class) != null;
    }

    /**
     * Sends a release again once the connection is back up, looking every few milliseconds
     * (backing off to half a second) for at most two minutes.
     *
     * @param resend sends the release again
     */
    public void whenReconnected(Runnable resend) {
        check(resend, System.nanoTime() + GIVE_UP_NANOS, FIRST_CHECK_NANOS);
    }

    private void check(Runnable resend, long deadlineNanos, long delayNanos) {
        try {
            scheduler.schedule(() -> {
                if (connected.getAsBoolean()) {
                    resend.run();
                } else if (System.nanoTime() - deadlineNanos < 0) {
                    check(resend, deadlineNanos, Math.min(delayNanos * 2, MAX_CHECK_NANOS));
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // The backend is closed: what the release would have freed expires with its TTL.
        }
    }
}
