package io.github.distlock.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Runs the backend's scripts with {@code EVALSHA}; when the server does not know a script
 * ({@code NOSCRIPT}: after {@code SCRIPT FLUSH}, a restart or a failover) it sends the source
 * once with {@code EVAL}, which also caches it again. Works for standalone, Sentinel and
 * Cluster connections alike (Cluster routes by the first key).
 */
public final class ScriptRunner {

    private final RedisClusterAsyncCommands<String, String> commands;

    /**
     * Creates a runner over a connection's async commands.
     *
     * @param commands standalone or cluster async commands
     */
    public ScriptRunner(RedisClusterAsyncCommands<String, String> commands) {
        this.commands = commands;
    }

    /**
     * Runs a script.
     *
     * @param script the script
     * @param type the reply type
     * @param keys the keys (all in one slot on Cluster)
     * @param args the arguments
     * @param <T> the reply type
     * @return the reply
     */
    public <T> CompletableFuture<T> run(RedisScripts.Script script, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> first = commands.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(e -> {
            if (isNoScript(e)) {
                return commands.<T>eval(script.source(), type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    private static boolean isNoScript(Throwable e) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof RedisNoScriptException
                || (c != null && c.getMessage() != null && c.getMessage().startsWith("NOSCRIPT"));
    }
}
