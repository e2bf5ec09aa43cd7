package io.github.distlock;

/**
 * Receives the {@link LockEvent}s of one client. Register it with
 * {@link LockClientOptions.Builder#eventListener(LockEventListener)}; listeners are called in the
 * order they were registered.
 *
 * <p>Listeners are called synchronously, on the thread where the event happened: the caller's
 * thread, the client's scheduler thread, or the store client's I/O thread. Keep them fast and
 * never block in them (record a metric, hand the event to a queue). A listener that throws does
 * not affect locking: the exception is logged (WARN the first time per listener and kind of event,
 * DEBUG after that) and the next listener is called. When no listener is registered, no event
 * object is created.
 *
 * <pre>{@code
 * LockClientOptions options = LockClientOptions.builder()
 *         .eventListener(event -> {
 *             if (event instanceof LockLostEvent lost) {
 *                 alerts.send("lost " + lost.key() + ": " + lost.reason().description());
 *             }
 *         })
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface LockEventListener {

    /**
     * Called for every event of the client this listener is registered with.
     *
     * @param event the event, never {@code null}
     */
    void onEvent(LockEvent event);
}
