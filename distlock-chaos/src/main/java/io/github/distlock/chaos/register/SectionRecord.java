package io.github.distlock.chaos.register;

/**
 * One critical section as the worker reported it. Times are {@code System.nanoTime()} values,
 * comparable across processes on Linux (CLOCK_MONOTONIC).
 *
 * @param process the worker's index
 * @param leaseId unique per acquisition ({@code process.thread.sequence})
 * @param token the lease's fencing token
 * @param startNanos when acquire returned
 * @param endNanos after the fenced write, before release
 * @param releasedNanos when release returned
 * @param fencedWriteAccepted whether the fenced register took the write
 * @param heldAtEnd {@code LockLease.isHeld()} at the end of the section
 * @param release {@code "true"}/{@code "false"} from {@code release()}, or {@code
 *     "release:ExceptionType"}
 */
public record SectionRecord(
    int process,
    String leaseId,
    long token,
    long startNanos,
    long endNanos,
    long releasedNanos,
    boolean fencedWriteAccepted,
    boolean heldAtEnd,
    String release) {

  /** Parses the fields of a {@code REC} line after the verb. */
  static SectionRecord parse(String[] f) {
    return new SectionRecord(
        Integer.parseInt(f[1]),
        f[2],
        Long.parseLong(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]),
        Long.parseLong(f[6]),
        Boolean.parseBoolean(f[7]),
        Boolean.parseBoolean(f[8]),
        f[9]);
  }
}
