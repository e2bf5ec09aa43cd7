package io.github.distlock.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;

/**
 * Keeps the backend clients quiet: users must not see reconnect chatter or stack traces from
 * Lettuce, Netty or gRPC. SLF4J (slf4j-simple) is set to {@code off}, java.util.logging (used
 * by gRPC) to {@code OFF}; {@code --verbose} turns both to debug on stderr.
 */
public final class Logging {

    private Logging() {
    }

    /**
     * Configures logging; effective as long as no logger was created yet (commands call it
     * before they open a backend).
     *
     * @param verbose debug logging when true, none otherwise
     */
    public static void configure(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        if (verbose) {
            // Netty's and Reactor's debug output is mostly noise even for debugging distlock.
            System.setProperty("org.slf4j.simpleLogger.log.io.netty", "info");
            System.setProperty("org.slf4j.simpleLogger.log.reactor", "info");
        }
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        if (root != null) {
            root.setLevel(verbose ? Level.FINE : Level.OFF);
            for (java.util.logging.Handler h : root.getHandlers()) {
                h.setLevel(verbose ? Level.FINE : Level.OFF);
            }
        }
    }
}
