package org.parkinglot.core.internal;

/** Leading padding of a bucket: keeps its lock word off the cache line of the object before it. */
@SuppressWarnings("unused")
abstract class BucketPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14;
}
