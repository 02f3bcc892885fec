package org.parkinglot.benchmarks.lockbench;

import java.io.Serial;

/** A bad command line: the message says what is wrong in one sentence, for the user. */
public final class UsageException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the arguments
     */
    public UsageException(String message) {
        super(message);
    }
}
