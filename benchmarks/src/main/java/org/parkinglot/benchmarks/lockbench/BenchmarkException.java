package org.parkinglot.benchmarks.lockbench;

import java.io.Serial;

/**
 * A run that could not complete: a lock that never released its threads, a thread that failed, or a
 * forked JVM that died. The message says which lock and what happened, for the user.
 */
public final class BenchmarkException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public BenchmarkException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause   the failure behind it
     */
    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
