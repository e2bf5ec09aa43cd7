package io.github.distlock.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server and takes the five
 * keys of {@link RedisKeys#all()} (renewal of many locks takes them in groups). Time comes from
 * the server's {@code TIME}, never from the client, so client clocks do not matter.
 */
public final class RedisScripts {

    private RedisScripts() {
    }

    /** Shared Lua helpers, prepended to every script. */
    private static final String PRELUDE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function fmt(n) return string.format('%.0f', n) end
            local function owner_of(v)
              local sep = string.find(v, ':', 1, true)
              if not sep then return v, 0 end
              return string.sub(v, 1, sep - 1), tonumber(string.sub(v, sep + 1))
            end
            local function purge(z, hash)
              local gone = redis.call('ZRANGEBYSCORE', z, '-inf', fmt(now))
              if #gone > 0 then
                redis.call('ZREMRANGEBYSCORE', z, '-inf', fmt(now))
                if hash then redis.call('HDEL', hash, unpack(gone)) end
              end
            end
            local function last_score(z)
              local last = redis.call('ZRANGE', z, -1, -1, 'WITHSCORES')
              if #last == 0 then return nil end
              return tonumber(last[2])
            end
            local function expire_with_last(z, hash)
              local last = last_score(z)
              if last and last > now then
                redis.call('PEXPIRE', z, fmt(last - now))
                if hash then redis.call('PEXPIRE', hash, fmt(last - now)) end
              end
            end
            """;

    /**
     * One acquire attempt. ARGV: owner, kind ({@code x} or {@code s}), ttl ms, prepare-wait
     * ({@code 1}/{@code 0}), fence retention ms. Returns {@code {1, token, ttl}} when granted,
     * {@code {0, recheckMs, enqueued}} when busy.
     */
    public static final Script ACQUIRE = new Script("acquire", """
            if ARGV[2] == 'x' and redis.call('EXISTS', KEYS[1], KEYS[2]) == 0 then
              -- Fast path: exclusive request, no holder, no live reader. Every token is floored
              -- by the server clock in microseconds, not only a new counter's first: a server
              -- restarted from an older snapshot, or a replica promoted before it had the last
              -- grants, holds an older counter, and incrementing alone would hand out tokens again.
              -- One write in the usual case: the floor replaces the counter (SET ... GET), and
              -- only a counter already past the floor is written again, incremented.
              local t = redis.call('TIME')
              local token = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local last = redis.call('SET', KEYS[5], string.format('%.0f', token), 'PX', ARGV[5], 'GET')
              if last and tonumber(last) >= token then
                token = tonumber(last) + 1
                redis.call('SET', KEYS[5], string.format('%.0f', token), 'PX', ARGV[5])
              end
              redis.call('SET', KEYS[1], ARGV[1] .. ':' .. string.format('%.0f', token), 'PX', ARGV[3])
              if ARGV[4] == '1' then redis.call('ZREM', KEYS[4], ARGV[1]) end
              return {1, token, tonumber(ARGV[3])}
            end
""" + PRELUDE + """
            local X, R, T, W, F = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
            local owner, kind, ttl, wait, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[5]
            local ttl_arg = ARGV[3]
            purge(R, T)
            purge(W, nil)
            local held = redis.call('GET', X)
            if held then
              local who, token = owner_of(held)
              if who == owner then return {1, token, redis.call('PTTL', X)} end
            elseif kind == 's' then
              local token = redis.call('HGET', T, owner)
              if token then return {1, tonumber(token), ttl} end
            end
            local free = not held
            if free and kind == 'x' then
              free = redis.call('ZCARD', R) == 0
            elseif free then
              local writers = redis.call('ZCARD', W)
              if writers > 1 or (writers == 1 and not redis.call('ZSCORE', W, owner)) then free = false end
            end
            if free then
              -- floored by the server clock on every grant: see the fast path
              local token = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local last = redis.call('SET', F, fmt(token), 'PX', keep, 'GET')
              if last and tonumber(last) >= token then
                token = tonumber(last) + 1
                redis.call('SET', F, fmt(token), 'PX', keep)
              end
              if kind == 'x' then
                redis.call('SET', X, owner .. ':' .. fmt(token), 'PX', ttl_arg)
                redis.call('ZREM', W, owner)
              else
                redis.call('ZADD', R, fmt(now + ttl), owner)
                redis.call('HSET', T, owner, fmt(token))
                expire_with_last(R, T)
              end
              return {1, token, ttl}
            end
            -- When to look again without a notification: just after the holders expire (PTTL
            -- rounds down, and reads 0 in the last millisecond, hence the +1).
            local recheck = 0
            if held then recheck = math.max(redis.call('PTTL', X), 0) + 1 end
            local lastr = last_score(R)
            if lastr then recheck = math.max(recheck, lastr - now + 1) end
            local enqueued = 0
            if wait and kind == 'x' then
              redis.call('ZADD', W, fmt(now + recheck + ttl), owner)
              expire_with_last(W, nil)
              enqueued = 1
            end
            if recheck <= 0 and kind == 's' then
              -- A reader held back only by another writer's waiting marker: look again when
              -- that marker would lapse (the writer's grant or give-up also publishes).
              local writers = redis.call('ZRANGE', W, 0, -1, 'WITHSCORES')
              for i = 1, #writers, 2 do
                if writers[i] ~= owner then recheck = math.max(recheck, tonumber(writers[i + 1]) - now + 1) end
              end
            end
            if recheck < 1 then recheck = 1 end
            return {0, recheck, enqueued}
            """);

    /**
     * Owner-checked release. ARGV: owner, kind, channel. Removes the owner's waiting-writer
     * marker too, and publishes on the channel when anything changed. Returns 1 if the owner
     * held the lock.
     */
    public static final Script RELEASE = new Script("release", """
            if ARGV[2] == 'x' then
              -- Fast path: the owner's exclusive grant. A granted owner is never in the waiting set.
              local held = redis.call('GET', KEYS[1])
              if held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. ':' then
                redis.call('DEL', KEYS[1])
                redis.call('SPUBLISH', ARGV[3], 'x')
                return 1
              end
            end
""" + PRELUDE + """
            local X, R, T, W = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
            local owner, kind, channel = ARGV[1], ARGV[2], ARGV[3]
            local released = 0
            if kind == 'x' then
              local held = redis.call('GET', X)
              if held and owner_of(held) == owner then
                redis.call('DEL', X)
                released = 1
              end
            else
              local expiry = redis.call('ZSCORE', R, owner)
              if expiry then
                if tonumber(expiry) > now then released = 1 end
                redis.call('ZREM', R, owner)
                redis.call('HDEL', T, owner)
              end
            end
            local waited = redis.call('ZREM', W, owner)
            if released == 1 or waited == 1 then redis.call('SPUBLISH', channel, kind) end
            return released
            """);

    /**
     * Owner-checked renewal of any number of locks. KEYS: the five keys of each lock in turn.
     * ARGV: owner, kind, ttl ms for each lock in turn. Returns one 1/0 per lock.
     */
    public static final Script RENEW = new Script("renew", PRELUDE + """
            local results = {}
            local n = #ARGV / 3
            for i = 0, n - 1 do
              local X, R, T = KEYS[i * 5 + 1], KEYS[i * 5 + 2], KEYS[i * 5 + 3]
              local owner, kind, ttl = ARGV[i * 3 + 1], ARGV[i * 3 + 2], tonumber(ARGV[i * 3 + 3])
              local ok = 0
              if kind == 'x' then
                local held = redis.call('GET', X)
                if held and owner_of(held) == owner then
                  redis.call('PEXPIRE', X, ARGV[i * 3 + 3])
                  ok = 1
                end
              else
                local expiry = redis.call('ZSCORE', R, owner)
                if expiry and tonumber(expiry) > now then
                  redis.call('ZADD', R, 'XX', fmt(now + ttl), owner)
                  expire_with_last(R, T)
                  ok = 1
                end
              end
              results[i + 1] = ok
            end
            return results
            """);

    /**
     * Reads a lock's state without changing it. Returns {@code {kind, holders, token,
     * remainingMs, lastFence}} with kind {@code x}, {@code s} or empty.
     */
    public static final Script INSPECT = new Script("inspect", PRELUDE + """
            local X, R, T, W, F = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
            local fence = tonumber(redis.call('GET', F) or '0')
            local held = redis.call('GET', X)
            if held then
              local who, token = owner_of(held)
              return {'x', 1, token, redis.call('PTTL', X), fence}
            end
            local readers = redis.call('ZRANGEBYSCORE', R, '(' .. fmt(now), '+inf', 'WITHSCORES')
            if #readers == 0 then return {'', 0, 0, 0, fence} end
            local max_token, last = 0, 0
            for i = 1, #readers, 2 do
              local token = tonumber(redis.call('HGET', T, readers[i]) or '0')
              if token > max_token then max_token = token end
              last = math.max(last, tonumber(readers[i + 1]))
            end
            return {'s', #readers / 2, max_token, last - now, fence}
            """);

    /**
     * A Lua script with its SHA-1, computed locally so that EVALSHA needs no SCRIPT LOAD first.
     *
     * @param name a short name for messages
     * @param source the Lua source
     * @param sha the SHA-1 of the source, hex
     */
    public record Script(String name, String source, String sha) {

        Script(String name, String source) {
            this(name, source, sha1(source));
        }

        private static String sha1(String source) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-1");
                return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
            }
        }
    }
}
