package io.github.distlock.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link BenchMain} runs, from its command line.
 *
 * <pre>
 * --quick                 short runs (the whole thing in under 3 minutes)
 * --only a,b              systems to run (default: all, see --list)
 * --scenarios a,b         random-keys, hot-key, shared-readers, held-locks (default: all)
 * --threads 1,8,64        thread counts of random-keys
 * --warmup 5s             warm-up of each run (full: 5s, quick: 1s)
 * --measure 15s           measured window of each run (full: 15s, quick: 2s)
 * --held-locks 10000      locks of held-locks (full: 10000, quick: 2000)
 * --held-ttl 3s           their TTL; renewal interval = TTL / 3
 * --out bench/results     output directory
 * --name latest           output file names: NAME.json, NAME.md, NAME.png
 * --list                  print the systems and scenarios, run nothing
 * </pre>
 *
 * @param quick whether this is a quick run (shorter defaults)
 * @param systems system ids, empty for all
 * @param scenarios the scenarios, in run order
 * @param randomKeyThreads thread counts of {@link Scenario#RANDOM_KEYS}
 * @param hotKeyThreads threads of {@link Scenario#HOT_KEY}
 * @param sharedThreads threads of {@link Scenario#SHARED_READERS}
 * @param warmup warm-up per run
 * @param measure measured window per run
 * @param heldLocks locks of {@link Scenario#HELD_LOCKS}
 * @param heldTtl their TTL (the renewal interval is a third of it)
 * @param heldWorkers threads that acquire and release them
 * @param out output directory
 * @param name output file base name
 * @param list whether to only list systems and scenarios
 */
public record BenchOptions(boolean quick, List<String> systems, List<Scenario> scenarios,
        List<Integer> randomKeyThreads, int hotKeyThreads, int sharedThreads, Duration warmup, Duration measure,
        int heldLocks, Duration heldTtl, int heldWorkers, Path out, String name, boolean list) {

    /** Keys of the random-keys scenario. */
    public static final int RANDOM_KEY_SPACE = 100_000;
    /** Keys of the shared-readers scenario: small, so that readers and writers contend. */
    public static final int SHARED_KEY_SPACE = 100;
    /** Share of read locks in the shared-readers scenario. */
    public static final double READ_SHARE = 0.9;

    /**
     * Validates and copies the fields.
     *
     * @param quick quick run
     * @param systems system ids
     * @param scenarios scenarios
     * @param randomKeyThreads thread counts
     * @param hotKeyThreads hot-key threads
     * @param sharedThreads shared-readers threads
     * @param warmup warm-up
     * @param measure measured window
     * @param heldLocks held locks
     * @param heldTtl held TTL
     * @param heldWorkers held-locks workers
     * @param out output directory
     * @param name output base name
     * @param list list only
     */
    public BenchOptions {
        systems = List.copyOf(systems);
        scenarios = List.copyOf(scenarios);
        randomKeyThreads = List.copyOf(randomKeyThreads);
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(heldTtl, "heldTtl");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(name, "name");
        if (measure.isZero() || measure.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("--measure must be positive and --warmup not negative");
        }
        if (heldLocks < 1 || heldWorkers < 1 || hotKeyThreads < 1 || sharedThreads < 1
                || randomKeyThreads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("thread and lock counts must be positive");
        }
        if (heldTtl.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("--held-ttl must be at least 2s (etcd's smallest lease), was " + heldTtl);
        }
    }

    /** @return the renewal interval of the held-locks scenario: a third of its TTL */
    public Duration renewalInterval() {
        return heldTtl.dividedBy(3);
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a usage hint on a bad argument
     */
    public static BenchOptions parse(String... args) {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        List<String> systems = List.of();
        List<Scenario> scenarios = List.of(Scenario.values());
        List<Integer> threads = List.of(1, 8, 64);
        Duration warmup = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
        Duration measure = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
        int heldLocks = quick ? 2_000 : 10_000;
        Duration heldTtl = Duration.ofSeconds(3);
        Path out = Path.of("bench", "results");
        String name = "latest";
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> { }
                case "--list" -> list = true;
                case "--only" -> systems = csv(value(args, ++i, arg));
                case "--scenarios" -> scenarios = csv(value(args, ++i, arg)).stream().map(Scenario::byId).toList();
                case "--threads" -> threads = csv(value(args, ++i, arg)).stream().map(Integer::parseInt).toList();
                case "--warmup" -> warmup = duration(value(args, ++i, arg));
                case "--measure" -> measure = duration(value(args, ++i, arg));
                case "--held-locks" -> heldLocks = Integer.parseInt(value(args, ++i, arg));
                case "--held-ttl" -> heldTtl = duration(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--name" -> name = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + usage());
            }
        }
        return new BenchOptions(quick, systems, scenarios, threads, 8, 8, warmup, measure, heldLocks, heldTtl,
                16, out, name, list);
    }

    /** @return the command-line help */
    public static String usage() {
        return """
                usage: BenchMain [--quick] [--only SYSTEM,...] [--scenarios SCENARIO,...] [--threads 1,8,64]
                                 [--warmup 5s] [--measure 15s] [--held-locks 10000] [--held-ttl 3s]
                                 [--out bench/results] [--name latest] [--list]
                scenarios: %s""".formatted(String.join(", ", Scenario.ids()));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static List<String> csv(String s) {
        List<String> items = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }

    /**
     * Parses {@code 500ms}, {@code 2s}, {@code 1m} or an ISO-8601 duration ({@code PT2S}).
     *
     * @param text the text
     * @return the duration
     */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (use 500ms, 2s, 1m)");
    }
}
