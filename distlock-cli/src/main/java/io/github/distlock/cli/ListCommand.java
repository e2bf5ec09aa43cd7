package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distlock list [PREFIX]}: the locks currently held, read without blocking the server
 * (Redis {@code SCAN}, never {@code KEYS}; ranged reads on etcd).
 */
@Command(name = "list", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "List held locks whose key starts with PREFIX (all when omitted), sorted by key. "
                + "Uses SCAN on Redis and ranged reads on etcd: it never blocks the server.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:listed (possibly none)", "2:bad arguments or backend URI", "69:backend unreachable or failing"})
public final class ListCommand implements Callable<Integer>, BackendCommand {

    /** Default for {@code --limit}. */
    public static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 100_000;

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object for scripts.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", description = "List at most N locks, 1-100000 (default: ${DEFAULT-VALUE}).")
    int limit = DEFAULT_LIMIT;

    @Mixin
    BackendOptions backend;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "Key prefix (default: all keys).")
    String prefix = "";

    /**
     * Creates the command.
     *
     * @param ctx the environment and output streams
     */
    public ListCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public BackendOptions backend() {
        return backend;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--limit': " + limit + " is not in 1-" + MAX_LIMIT);
        }
        String uri = backend.sharedUri(ctx);
        try (DistributedLock locks = backend.open(uri)) {
            // One more than asked tells whether the list was cut.
            List<LockInfo> found = locks.listLocks(prefix, Math.min(limit + 1, MAX_LIMIT));
            boolean truncated = found.size() > limit;
            List<LockInfo> shown = truncated ? found.subList(0, limit) : found;
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("backend", Secrets.redact(uri));
                o.put("prefix", prefix);
                List<Object> items = new ArrayList<>();
                for (LockInfo info : shown) {
                    items.add(StatusCommand.toJson(info));
                }
                o.put("locks", items);
                o.put("count", shown.size());
                o.put("truncated", truncated);
                ctx.out().println(Json.write(o));
            } else {
                printTable(shown, truncated);
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    private void printTable(List<LockInfo> shown, boolean truncated) {
        if (shown.isEmpty()) {
            ctx.out().println(prefix.isEmpty() ? "no locks held" : "no locks held under '" + prefix + "'");
            return;
        }
        int width = "KEY".length();
        for (LockInfo info : shown) {
            width = Math.max(width, info.key().length());
        }
        width = Math.min(width, 60);
        String row = "%-" + width + "s  %-9s  %7s  %20s  %8s%n";
        ctx.out().printf(Locale.ROOT, row, "KEY", "TYPE", "HOLDERS", "FENCING TOKEN", "TTL");
        for (LockInfo info : shown) {
            ctx.out().printf(Locale.ROOT, row, info.key(),
                    info.type().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse("-"),
                    info.holderCount(), info.fencingToken(), Durations.format(info.remainingTtl()));
        }
        if (truncated) {
            ctx.out().println("(first " + shown.size() + " shown; raise --limit for more)");
        }
    }
}
