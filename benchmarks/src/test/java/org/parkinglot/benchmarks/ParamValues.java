package org.parkinglot.benchmarks;

import java.util.List;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Param;

/** The competitors a JMH benchmark lists in its {@code @Param}, read from the annotation itself. */
final class ParamValues {

    private ParamValues() {
    }

    /**
     * Returns the {@link LockType}s a benchmark's {@code @Param} field lists, in order.
     *
     * @param benchmark the benchmark class
     * @param field     the public {@code @Param} field, such as {@code type}
     * @return the registry constants named there
     */
    static List<LockType> lockTypes(Class<?> benchmark, String field) {
        try {
            return Stream.of(benchmark.getField(field).getAnnotation(Param.class).value()).map(LockType::valueOf).toList();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }
}
