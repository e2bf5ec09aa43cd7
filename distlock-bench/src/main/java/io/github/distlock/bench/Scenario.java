package io.github.distlock.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The measured scenarios (issue #7). */
public enum Scenario {

    /** Lock + unlock cycles on random keys from a 100,000-key space, at 1, 8 and 64 threads. */
    RANDOM_KEYS("random-keys", "lock+unlock on random keys (100k key space)"),

    /**
     * 8 threads on one key: hand-off throughput, and hand-off latency from the holder's release
     * call to the next holder's acquire returning.
     */
    HOT_KEY("hot-key", "8 threads on one key: hand-offs/s and hand-off latency"),

    /** Shared locks: 90% readers, 10% writers on a 100-key space, so they contend. */
    SHARED_READERS("shared-readers", "read/write locks, 90% readers on 100 keys"),

    /**
     * 10,000 auto-renewed locks held for three renewal intervals: renewal round trips per
     * interval counted by the server, heap per held lock, client threads.
     */
    HELD_LOCKS("held-locks", "10k auto-renewed locks held for 3 renewal intervals");

    private final String id;
    private final String description;

    Scenario(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** @return the id used on the command line and in the results, e.g. {@code random-keys} */
    public String id() {
        return id;
    }

    /** @return a one-line description for the report */
    public String description() {
        return description;
    }

    /**
     * Finds a scenario by its id (or enum name, in any case).
     *
     * @param text the id
     * @return the scenario
     * @throws IllegalArgumentException naming the known ids if none matches
     */
    public static Scenario byId(String text) {
        String t = text.trim();
        for (Scenario s : values()) {
            if (s.id.equalsIgnoreCase(t) || s.name().equalsIgnoreCase(t.replace('-', '_'))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + text + "'; known: " + ids());
    }

    /** @return all ids, in run order */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Scenario::id).toList();
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
