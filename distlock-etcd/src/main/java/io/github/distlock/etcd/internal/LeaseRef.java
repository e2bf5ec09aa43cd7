package io.github.distlock.etcd.internal;

/**
 * The lease a claim's key is attached to: a shared {@link Session} (auto-renewed locks) or a
 * lease of the claim's own (explicit TTL), which is revoked when the claim ends.
 *
 * @param id the lease id
 * @param ttlSeconds the TTL the server granted
 * @param session the session, or {@code null} for a lease of the claim's own
 */
record LeaseRef(long id, long ttlSeconds, Session session) {

    static LeaseRef of(Session session) {
        return new LeaseRef(session.leaseId(), session.ttlSeconds(), session);
    }

    static LeaseRef own(long id, long ttlSeconds) {
        return new LeaseRef(id, ttlSeconds, null);
    }

    boolean isOwn() {
        return session == null;
    }
}
