/**
 * The parking lot: a global hash table of wait queues keyed by (object identity, lane), the two-phase
 * unpark protocol, the spin policy, and a standalone parker for library authors.
 *
 * <h2>Memory orderings: Rust to Java</h2>
 * The code is ported from Rust's {@code parking_lot}; its atomic orderings map to
 * {@link java.lang.invoke.VarHandle} access modes as follows:
 * <table class="striped">
 *   <caption>Rust ordering and the VarHandle access mode used for it</caption>
 *   <thead><tr><th>Rust</th><th>Java</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code load(Relaxed)}</td><td>{@code getOpaque}, or a plain read that a later CAS re-validates</td></tr>
 *     <tr><td>{@code load(Acquire)}</td><td>{@code getAcquire}</td></tr>
 *     <tr><td>{@code store(Release)}</td><td>{@code setRelease}</td></tr>
 *     <tr><td>{@code store(Relaxed)} under a bucket lock</td><td>plain set (the bucket lock's release publishes it)</td></tr>
 *     <tr><td>{@code compare_exchange_weak(Acquire, Relaxed)}</td><td>{@code weakCompareAndSetAcquire}</td></tr>
 *     <tr><td>{@code compare_exchange(Release, Relaxed)}</td><td>{@code compareAndExchangeRelease}</td></tr>
 *     <tr><td>{@code compare_exchange(AcqRel, Acquire)}</td><td>{@code compareAndSet} (volatile, stronger)</td></tr>
 *     <tr><td>{@code fetch_add/fetch_sub(Release or Acquire)}</td><td>{@code getAndAddRelease} / {@code getAndAddAcquire}</td></tr>
 *     <tr><td>{@code fetch_and/fetch_or(Relaxed)}</td><td>{@code getAndBitwiseAnd/Or} (no relaxed read-modify-write exists)</td></tr>
 *     <tr><td>{@code fence(Acquire)}</td><td>{@link java.lang.invoke.VarHandle#acquireFence()}</td></tr>
 *   </tbody>
 * </table>
 * The futex parker's release store / acquire load pair, which orders a hand-off in Rust, is the
 * release store of the wait node's state in {@code unparkLock()} and the acquire load that ends the
 * park: {@link java.util.concurrent.locks.LockSupport} itself documents no memory effects.
 */
package org.parkinglot.core;
