package io.github.distlock;

/**
 * Why a held lock was lost.
 */
public enum LostReason {
    /** Its TTL ran out locally (measured from when the last grant or renewal was sent) and it was not renewed. */
    EXPIRED("its TTL ran out before it was renewed"),
    /** Automatic renewal kept failing (store unreachable or slow) until the TTL ran out. */
    RENEWAL_FAILED("renewal failed until its TTL ran out"),
    /** The store says this owner no longer holds the key (it expired there, or was taken over). */
    NOT_OWNER("the store no longer lists this owner as holder"),
    /** The session or lease carrying the lock ended (etcd lease revoked or expired). */
    SESSION_ENDED("the lease carrying it ended");

    private final String description;

    LostReason(String description) {
        this.description = description;
    }

    /**
     * Returns a short human-readable description, used in exception messages.
     *
     * @return the description
     */
    public String description() {
        return description;
    }
}
