package io.github.distlock;

import java.util.Collection;

/**
 * A {@link LockManager} was asked for a service name that was never registered.
 */
public class LockServiceNotFoundException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param name the unknown service name
     * @param known the names that are registered
     */
    public LockServiceNotFoundException(String name, Collection<String> known) {
        super("no lock service named '" + name + "' is registered; registered: " + known);
    }
}
