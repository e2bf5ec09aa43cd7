package io.github.distlock.metrics;

import io.github.distlock.AcquireOutcome;
import io.github.distlock.LockAcquiredEvent;
import io.github.distlock.LockEvent;
import io.github.distlock.LockEventListener;
import io.github.distlock.LockLostEvent;
import io.github.distlock.LockNotAcquiredEvent;
import io.github.distlock.LockReleasedEvent;
import io.github.distlock.LockRenewalFailedEvent;
import io.github.distlock.LockRenewedEvent;
import io.github.distlock.LockType;
import io.github.distlock.LockWaitEndedEvent;
import io.github.distlock.internal.Arguments;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Records lock metrics with Micrometer: a {@link LockEventListener} to register with
 * {@link io.github.distlock.LockClientOptions.Builder#eventListener(LockEventListener)}.
 * Micrometer is an optional dependency of distlock-core: add {@code io.micrometer:micrometer-core}
 * to use this class.
 *
 * <pre>{@code
 * LockClientOptions options = LockClientOptions.builder()
 *         .eventListener(MicrometerLockMetrics.builder(meterRegistry).build())
 *         .build();
 * DistributedLock locks = DistributedLocks.open("redis://localhost:6379", options);
 * }</pre>
 *
 * <p>Meters (every one tagged {@code backend} and {@code type} ({@code exclusive}/{@code shared}),
 * plus {@code key} only when {@link Builder#keyTags(boolean)} asks for it, since one time series
 * per key can overwhelm a metrics store):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Kind</th><th>Extra tags</th><th>What</th></tr>
 *   <tr><td>{@value #ACQUIRE}</td><td>timer</td><td>{@code outcome}</td><td>acquire latency: from the
 *       call until it got the lock ({@code acquired}) or gave up ({@code busy}, {@code timed_out},
 *       {@code cancelled}, {@code failed})</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td></td><td>acquire calls (counted when they end)</td></tr>
 *   <tr><td>{@value #ACQUIRED}</td><td>counter</td><td></td><td>acquire calls that got the lock</td></tr>
 *   <tr><td>{@value #TIMEOUTS}</td><td>counter</td><td></td><td>acquire calls whose wait timed out</td></tr>
 *   <tr><td>{@value #WAIT}</td><td>timer</td><td>{@code outcome}</td><td>time spent waiting, for calls that
 *       found the lock taken</td></tr>
 *   <tr><td>{@value #HELD}</td><td>gauge</td><td></td><td>locks this client holds now</td></tr>
 *   <tr><td>{@value #HELD_DURATION}</td><td>timer</td><td>{@code outcome} ({@code released}/{@code lost})</td>
 *       <td>how long locks were held</td></tr>
 *   <tr><td>{@value #LOST}</td><td>counter</td><td>{@code reason}</td><td>locks lost while held</td></tr>
 *   <tr><td>{@value #RENEWALS}</td><td>counter</td><td>{@code outcome} ({@code renewed}/{@code failed})</td>
 *       <td>renewals by the watchdog or {@code renew}</td></tr>
 * </table>
 *
 * <p>Percentiles and histograms are left to the registry's configuration (a {@code MeterFilter},
 * or Spring Boot's {@code management.metrics.distribution.*} properties).
 */
public final class MicrometerLockMetrics implements LockEventListener {

    /** Timer of acquire calls, tagged with their outcome. */
    public static final String ACQUIRE = "distlock.acquire";
    /** Counter of acquire calls. */
    public static final String ATTEMPTS = "distlock.acquire.attempts";
    /** Counter of acquire calls that got the lock. */
    public static final String ACQUIRED = "distlock.acquire.acquired";
    /** Counter of acquire calls whose wait timed out. */
    public static final String TIMEOUTS = "distlock.acquire.timeouts";
    /** Timer of waits for a taken lock, tagged with their outcome. */
    public static final String WAIT = "distlock.acquire.wait";
    /** Gauge of the locks held now. */
    public static final String HELD = "distlock.held";
    /** Timer of how long locks were held, tagged {@code released} or {@code lost}. */
    public static final String HELD_DURATION = "distlock.held.duration";
    /** Counter of locks lost while held, tagged with the reason. */
    public static final String LOST = "distlock.lost";
    /** Counter of renewals, tagged {@code renewed} or {@code failed}. */
    public static final String RENEWALS = "distlock.renewals";

    private final MeterRegistry registry;
    private final boolean keyTags;
    private final Tags commonTags;
    private final ConcurrentHashMap<MeterKey, Object> meters = new ConcurrentHashMap<>();

    private MicrometerLockMetrics(Builder b) {
        this.registry = b.registry;
        this.keyTags = b.keyTags;
        this.commonTags = b.tags;
    }

    /**
     * Starts building a metrics listener.
     *
     * @param registry where the meters are registered
     * @return the builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Arguments.notNull("registry", registry));
    }

    @Override
    public void onEvent(LockEvent event) {
        if (event instanceof LockAcquiredEvent e) {
            timer(ACQUIRE, e, AcquireOutcome.ACQUIRED.tagValue()).record(e.acquireDuration());
            counter(ATTEMPTS, e, null).increment();
            counter(ACQUIRED, e, null).increment();
            held(e).incrementAndGet();
        } else if (event instanceof LockNotAcquiredEvent e) {
            timer(ACQUIRE, e, e.outcome().tagValue()).record(e.acquireDuration());
            counter(ATTEMPTS, e, null).increment();
            if (e.outcome() == AcquireOutcome.TIMED_OUT) {
                counter(TIMEOUTS, e, null).increment();
            }
        } else if (event instanceof LockWaitEndedEvent e) {
            timer(WAIT, e, e.outcome().tagValue()).record(e.waitDuration());
        } else if (event instanceof LockReleasedEvent e) {
            held(e).decrementAndGet();
            timer(HELD_DURATION, e, "released").record(e.heldDuration());
        } else if (event instanceof LockLostEvent e) {
            held(e).decrementAndGet();
            timer(HELD_DURATION, e, "lost").record(e.heldDuration());
            counter(LOST, e, e.reason()).increment();
        } else if (event instanceof LockRenewedEvent e) {
            counter(RENEWALS, e, "renewed").increment();
        } else if (event instanceof LockRenewalFailedEvent e) {
            counter(RENEWALS, e, "failed").increment();
        }
        // LockWaitStartedEvent: nothing to record until the wait ends.
    }

    private Timer timer(String name, LockEvent e, String outcome) {
        return meter(name, e, outcome, tags -> Timer.builder(name).tags(tags.and("outcome", outcome)).register(registry));
    }

    private Counter counter(String name, LockEvent e, Object detail) {
        return meter(name, e, detail, tags -> {
            Tags all = detail == null ? tags
                    : detail instanceof Enum<?> reason ? tags.and("reason", reason.name().toLowerCase(Locale.ROOT))
                    : tags.and("outcome", detail.toString());
            return Counter.builder(name).tags(all).register(registry);
        });
    }

    private AtomicLong held(LockEvent e) {
        return meter(HELD, e, null, tags -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(HELD, value, AtomicLong::get).tags(tags).strongReference(true).register(registry);
            return value;
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T meter(String name, LockEvent e, Object detail, Function<Tags, T> create) {
        MeterKey id = new MeterKey(name, e.backend(), e.lockType(), detail, keyTags ? e.key() : null);
        return (T) meters.computeIfAbsent(id, k -> create.apply(baseTags(k)));
    }

    private Tags baseTags(MeterKey k) {
        Tags tags = commonTags.and("backend", k.backend(), "type", k.type().name().toLowerCase(Locale.ROOT));
        return k.key() == null ? tags : tags.and("key", k.key());
    }

    @Override
    public String toString() {
        return "MicrometerLockMetrics{registry=" + registry.getClass().getSimpleName() + ", keyTags=" + keyTags + '}';
    }

    private record MeterKey(String name, String backend, LockType type, Object detail, String key) {
    }

    /** Builds {@link MicrometerLockMetrics}. */
    public static final class Builder {

        private final MeterRegistry registry;
        private boolean keyTags;
        private Tags tags = Tags.empty();

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Tags every meter with the lock key as well. Off by default: each key becomes its own
         * time series, so turn it on only for a small, fixed set of keys.
         *
         * @param keyTags whether to add a {@code key} tag
         * @return this builder
         */
        public Builder keyTags(boolean keyTags) {
            this.keyTags = keyTags;
            return this;
        }

        /**
         * Adds tags to every meter, for example the name of the client when an application has
         * several.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = this.tags.and(Arguments.notNull("tags", tags));
            return this;
        }

        /** @return the listener; register it with {@code LockClientOptions.Builder.eventListener} */
        public MicrometerLockMetrics build() {
            return new MicrometerLockMetrics(this);
        }
    }
}
