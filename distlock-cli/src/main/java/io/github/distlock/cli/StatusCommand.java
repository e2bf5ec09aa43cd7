package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code distlock status KEY}: who holds a lock, as the store reports it.
 */
@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Show a lock's state: held or free, type, holder count, fencing token, remaining TTL.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the state was read (held or free)", "2:bad arguments or backend URI",
                "69:backend unreachable or failing"})
public final class StatusCommand implements Callable<Integer>, BackendCommand {

    private final CliContext ctx;

    @Option(names = "--json", description = "Print one JSON object for scripts.")
    boolean json;

    @Mixin
    BackendOptions backend;

    @Parameters(index = "0", paramLabel = "KEY", description = "The lock key.")
    String key;

    /**
     * Creates the command.
     *
     * @param ctx the environment and output streams
     */
    public StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public BackendOptions backend() {
        return backend;
    }

    @Override
    public Integer call() {
        String uri = backend.sharedUri(ctx);
        try (DistributedLock locks = backend.open(uri)) {
            LockInfo info = locks.getLockInfo(key);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("backend", Secrets.redact(uri));
                o.putAll(toJson(info));
                ctx.out().println(Json.write(o));
            } else {
                ctx.out().println(key + ": " + describe(info));
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    /**
     * Returns a lock's state as JSON members: {@code key}, {@code held}, {@code type}
     * ({@code exclusive}, {@code shared} or null), {@code holders}, {@code fencingToken},
     * {@code remainingTtlMs}.
     *
     * @param info the state
     * @return the members, in order
     */
    static Map<String, Object> toJson(LockInfo info) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("key", info.key());
        o.put("held", info.held());
        o.put("type", info.type().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse(null));
        o.put("holders", info.holderCount());
        o.put("fencingToken", info.fencingToken());
        o.put("remainingTtlMs", info.remainingTtl().toMillis());
        return o;
    }

    /**
     * Describes a lock's state in words.
     *
     * @param info the state
     * @return for example {@code held, exclusive, 1 holder, fencing token 42, TTL 12.3s left}
     */
    static String describe(LockInfo info) {
        if (!info.held()) {
            return "free" + (info.fencingToken() > 0 ? ", last fencing token " + info.fencingToken() : "");
        }
        String type = info.type().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse("?");
        return "held, " + type + ", " + info.holderCount() + (info.holderCount() == 1 ? " holder" : " holders")
                + ", fencing token " + info.fencingToken() + ", TTL " + Durations.format(info.remainingTtl()) + " left";
    }
}
