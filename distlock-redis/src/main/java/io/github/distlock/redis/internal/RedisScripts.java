package io.github.distlock.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server and takes the six
 * keys of {@link RedisKeys#all()} (renewal of many locks takes them in groups). Time comes from
 * the server's {@code TIME}, never from the client, so client clocks do not matter.
 *
 * <h2>Waiting writers and the server-side hand-off</h2>
 *
 * A writer that will wait leaves two entries: a <em>marker</em> in W (owner -> marker expiry,
 * renewed by every attempt, so a crashed waiter's marker lapses) and a <em>place</em> in Q
 * ({@code owner|ttl} -> server time in microseconds of its first enqueue, added with
 * {@code NX}, so a re-armed marker keeps its place). Q carries the waiter's TTL because the
 * release that may grant it the lock has only the releasing owner's arguments; W stays keyed
 * by the bare owner so that a give-up (whose release knows no TTL) and the readers' checks find
 * it. A place whose marker is gone (given up, lapsed) is dropped lazily, when it reaches the
 * head of Q; Q expires with W.
 *
 * <p>When an owner releases an exclusive lock and W is not empty, RELEASE grants the lock to
 * the head of Q whose marker is live, in the same atomic step: fencing token exactly as ACQUIRE
 * computes it, {@code X = grantee:token} with PX = the grantee's own TTL, its marker and place
 * removed, and {@code h:<tag>:<token>} returned and published (not published when the grantee is
 * the releasing client's own waiter named in the call), where the tag is the first 16 hex digits
 * of {@code sha1(owner)} (owner tokens are secrets and never leave the server in a message). The
 * grantee's client then completes the waiter without another round trip (see
 * {@code RedisLockBackend}); a grantee that missed the message finds the lock its own on its
 * next ACQUIRE ({@code who == owner}), and one that gave up releases it, which hands it on.
 * A crashed waiter whose marker is still live can be handed the lock: it then expires after
 * that waiter's TTL, like a crashed holder's, so a crash delays the others by at most the
 * marker's remaining life plus one TTL. The same holds for any marker that outlives its owner's
 * wait: one a restart from an older snapshot restores, or one whose give-up release failed.
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
            -- The next fencing token: the server clock in microseconds, or the last token + 1 when
            -- that is not larger (see ACQUIRE's fast path for why every grant is floored).
            local function next_token(f, keep)
              local token = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local last = redis.call('SET', f, fmt(token), 'PX', keep, 'GET')
              if last and tonumber(last) >= token then
                token = tonumber(last) + 1
                redis.call('SET', f, fmt(token), 'PX', keep)
              end
              return token
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
     * {@code {0, recheckMs, enqueued, floor}} when busy, where for an enqueued waiter
     * {@code floor} is a token no smaller than any granted so far (a hand-off to it announcing a
     * larger token happened after this attempt ran).
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
              if ARGV[4] == '1' then
                redis.call('ZREM', KEYS[4], ARGV[1])
                redis.call('ZREM', KEYS[6], ARGV[1] .. '|' .. ARGV[3])
              end
              return {1, token, tonumber(ARGV[3])}
            end
            if ARGV[2] == 'x' and ARGV[4] == '1' then
              -- Busy fast path (a hot key's waiters): another writer holds the lock, so no live
              -- reader does (each is granted only without the other). Enqueue as the full path
              -- below would, without its purges: lapsed markers are dropped by the next full
              -- path, and a hand-off checks its candidate's marker itself.
              local held = redis.call('GET', KEYS[1])
              if held and string.sub(held, 1, #ARGV[1] + 1) ~= ARGV[1] .. ':' then
                local pttl = redis.call('PTTL', KEYS[1])
                if pttl >= 0 then
                  local t = redis.call('TIME')
                  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
                  local recheck = pttl + 1
                  local life = recheck + tonumber(ARGV[3])
                  redis.call('ZADD', KEYS[4], string.format('%.0f', now + life), ARGV[1])
                  redis.call('ZADD', KEYS[6], 'NX', string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])),
                      ARGV[1] .. '|' .. ARGV[3])
                  local last = redis.call('ZRANGE', KEYS[4], -1, -1)
                  if last[1] == ARGV[1] then
                    redis.call('PEXPIRE', KEYS[4], life)
                    redis.call('PEXPIRE', KEYS[6], life)
                  end
                  -- the holder's token: every later grant's token is larger
                  return {0, recheck, 1, tonumber(string.sub(held, string.find(held, ':', 1, true) + 1))}
                end
              end
            end
""" + PRELUDE + """
            local X, R, T, W, F, Q = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
            local owner, kind, ttl, wait, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[5]
            local ttl_arg = ARGV[3]
            local place = owner .. '|' .. ttl_arg
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
              local token = next_token(F, keep)
              if kind == 'x' then
                redis.call('SET', X, owner .. ':' .. fmt(token), 'PX', ttl_arg)
                if redis.call('ZREM', W, owner) == 1 then redis.call('ZREM', Q, place) end
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
              -- the place in line: kept by a re-armed marker (NX), so the order is first arrival
              redis.call('ZADD', Q, 'NX', fmt(tonumber(t[1]) * 1000000 + tonumber(t[2])), place)
              expire_with_last(W, Q)
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
            -- For a waiter: the last token handed out so far; every later grant's is larger.
            local floor = 0
            if enqueued == 1 then floor = tonumber(redis.call('GET', F) or '0') end
            return {0, recheck, enqueued, floor}
            """);

    /**
     * Owner-checked release. ARGV: owner, kind, channel, fence retention ms, and optionally the
     * tag of a waiter of the releasing client's own. Removes the owner's
     * waiting-writer marker too. When an exclusive lock is released and writers wait, hands the
     * lock to the longest-waiting live one and publishes {@code h:<tag>:<token>} (see the class
     * comment), unless the grantee is the releasing client's own waiter named in ARGV[5];
     * otherwise publishes the kind when anything changed. Returns, as a string, {@code 0} if the
     * owner did not hold the lock, {@code 1} if it did, and {@code h:<tag>:<token>} if it did and
     * handed the lock on: the releasing client completes a grantee of its own from the reply.
     */
    public static final Script RELEASE = new Script("release", """
            local mine = false
            if ARGV[2] == 'x' then
              -- Fast path: the owner's exclusive grant and nobody waiting (a granted owner is
              -- never in the waiting set): one EXISTS more than a plain delete, nothing heavier.
              local held = redis.call('GET', KEYS[1])
              mine = held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. ':'
              if mine and redis.call('EXISTS', KEYS[4]) == 0 then
                redis.call('DEL', KEYS[1])
                redis.call('SPUBLISH', ARGV[3], 'x')
                return '1'
              end
            end
""" + PRELUDE + """
            local X, R, T, W, F, Q = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
            local owner, kind, channel, keep = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            -- Grants the lock (still set to the releasing owner, overwritten here) to the
            -- longest-waiting writer whose marker is live; places without a live marker are
            -- dropped on the way.
            -- No reader can hold it: the releasing owner held it exclusively, and a writer is
            -- granted only without live readers, a reader only without a writer.
            local function hand_off()
              while true do
                local head = redis.call('ZPOPMIN', Q)
                if #head == 0 then return false end
                local who, ttl = string.match(head[1], '^(.*)|(%d+)$')
                local marker = who and redis.call('ZSCORE', W, who)
                if marker then
                  redis.call('ZREM', W, who)
                  if tonumber(marker) > now then
                    local token = next_token(F, keep)
                    redis.call('SET', X, who .. ':' .. fmt(token), 'PX', ttl)
                    local tag = string.sub(redis.sha1hex(who), 1, 16)
                    local message = 'h:' .. tag .. ':' .. fmt(token)
                    -- The releasing client's own waiter hears of it from this reply: no message.
                    if tag ~= ARGV[5] then redis.call('SPUBLISH', channel, message) end
                    return message
                  end
                end
              end
            end
            if mine then
              -- the owner's exclusive grant, with writers waiting (the fast path fell through)
              local handed = hand_off()
              if handed then return handed end
              redis.call('DEL', X)
              redis.call('SPUBLISH', channel, kind)
              return '1'
            end
            -- Not the owner's exclusive grant: a writer giving up its wait, a release after expiry,
            -- or a reader.
            local released = 0
            if kind == 's' then
              local expiry = redis.call('ZSCORE', R, owner)
              if expiry then
                if tonumber(expiry) > now then released = 1 end
                redis.call('ZREM', R, owner)
                redis.call('HDEL', T, owner)
              end
            end
            local waited = redis.call('ZREM', W, owner)
            if released == 1 or waited == 1 then redis.call('SPUBLISH', channel, kind) end
            return tostring(released)
            """);

    /**
     * Owner-checked renewal of any number of locks. KEYS: the six keys of each lock in turn.
     * ARGV: owner, kind, ttl ms for each lock in turn. Returns one 1/0 per lock.
     */
    public static final Script RENEW = new Script("renew", PRELUDE + """
            local results = {}
            local n = #ARGV / 3
            for i = 0, n - 1 do
              local X, R, T = KEYS[i * 6 + 1], KEYS[i * 6 + 2], KEYS[i * 6 + 3]
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
