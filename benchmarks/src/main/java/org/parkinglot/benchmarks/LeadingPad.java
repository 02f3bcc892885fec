package org.parkinglot.benchmarks;

/**
 * 128 bytes of fields that are never read or written, first in a pad chain (as JCTools and the
 * parking lot's buckets do): whatever a subclass declares starts at least 128 bytes into its object,
 * two cache lines away from anything allocated before it. Used under the guarded data of
 * {@link LockedCounter} and {@link LockedPair} (see their "Layout").
 */
abstract class LeadingPad {
    long p00;
    long p01;
    long p02;
    long p03;
    long p04;
    long p05;
    long p06;
    long p07;
    long p08;
    long p09;
    long p10;
    long p11;
    long p12;
    long p13;
    long p14;
    long p15;
}
