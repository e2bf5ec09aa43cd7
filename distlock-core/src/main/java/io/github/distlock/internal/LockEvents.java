package io.github.distlock.internal;

import io.github.distlock.LockEvent;
import io.github.distlock.LockEventListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a client's events to its listeners, in order, on the calling thread. A listener that
 * throws is logged and skipped: events never break locking. Callers check {@link #enabled()}
 * before building an event, so a client without listeners creates no event objects.
 */
final class LockEvents {

    private static final Logger log = LoggerFactory.getLogger(LockEvents.class);

    private final List<LockEventListener> listeners;
    private final boolean enabled;
    /** Listener and event kind pairs already reported at WARN. */
    private final Set<Failure> warned = ConcurrentHashMap.newKeySet();

    LockEvents(List<LockEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.enabled = !this.listeners.isEmpty();
    }

    /** @return whether any listener is registered */
    boolean enabled() {
        return enabled;
    }

    /** Calls every listener with {@code event}; never throws (but for errors of the JVM itself). */
    void publish(LockEvent event) {
        for (LockEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable e) {
                Failure failure = new Failure(System.identityHashCode(listener), listener.getClass(), event.getClass());
                if (warned.add(failure)) {
                    log.warn("Lock event listener {} threw on {} of lock '{}'; ignored (further failures of this "
                            + "listener on this kind of event are logged at DEBUG)", listener, event.getClass()
                            .getSimpleName(), event.key(), e);
                } else {
                    log.debug("Lock event listener {} threw on {}; ignored", listener, event, e);
                }
            }
        }
    }

    private record Failure(int listenerIdentity, Class<?> listenerClass, Class<?> eventClass) {
    }
}
