package io.github.distlock.redis.internal;

import io.github.distlock.internal.Exceptions;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Releases cut off by a lost connection, sent again once the connection is back.
 *
 * <p>When a connection is reset, Lettuce fails the command at the head of its in-flight queue
 * with the socket's error (it re-sends the others after reconnecting), and until it has
 * reconnected it fails new commands at once with that error. Either way the release may never
 * have reached the server: a holder's lock would then stay until its TTL runs out, and a waiter's
 * give-up would leave its marker, to which the next release hands the lock, for as long. The
 * release is owner-checked and owner tokens are never reused, so sending it again cannot touch
 * anybody else's grant: if the first one was applied after all, the second finds nothing and
 * answers "not held". Each release is sent again at most {@link #MAX_RESENDS} times, each time
 * after a reconnect (or at once when the connection is already back).
 */
public final class ReleaseResends {

    /** How often one release is sent again at most (each needs a lost connection first). */
    public static final int MAX_RESENDS = 3;

    private final BooleanSupplier connected;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

    /**
     * @param connected whether the commands connection is up now
     * @param executor runs the re-sends, off the I/O thread that reported the failure
     */
    public ReleaseResends(BooleanSupplier connected, Executor executor) {
        this.connected = connected;
        this.executor = executor;
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
     * Sends a release again once the connection is back: at the next reconnect, or now if it
     * is already up.
     *
     * @param resend sends the release again
     */
    public void whenReconnected(Runnable resend) {
        pending.add(resend);
        dispatch(true);
    }

    /** Sends every pending release again; call when a connection has been (re)established. */
    public void reconnected() {
        dispatch(false);
    }

    private void dispatch(boolean onlyIfConnected) {
        try {
            executor.execute(() -> {
                // Checked on the executor, not on the I/O thread that failed the call: by then
                // the reset connection has been marked down.
                if (onlyIfConnected && !connected.getAsBoolean()) {
                    return;
                }
                Runnable resend;
                while ((resend = pending.poll()) != null) {
                    resend.run();
                }
            });
        } catch (RejectedExecutionException closed) {
            pending.clear();
        }
    }
}
