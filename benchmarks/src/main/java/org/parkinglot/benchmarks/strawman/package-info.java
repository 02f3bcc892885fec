/**
 * The straw-man locks: locks shown for contrast, not for use, after WebKit's {@code ToyLocks.h}. Each
 * is a correct mutex that leaves out one thing the real locks do, so that comparing it with them shows
 * what that thing buys.
 * <ul>
 *   <li>{@link org.parkinglot.benchmarks.strawman.FloorLock}: one CAS to lock, one CAS to unlock, spins
 *       and never parks: the least any lock that can park pays uncontended ({@code MutexBenchmark}'s
 *       {@code FLOOR}).</li>
 *   <li>{@link org.parkinglot.benchmarks.strawman.SpinLock}: spins, then yields, never parks (WebKit
 *       {@code YieldSpinLock}): what parking buys when a preempted owner holds the lock.</li>
 *   <li>{@link org.parkinglot.benchmarks.strawman.UnparkAllLock}: parks, but every unlock wakes every
 *       waiter (WebKit {@code ThunderLock}): why the real locks wake one thread at a time.</li>
 *   <li>{@link org.parkinglot.benchmarks.strawman.BargingMutex}: {@code RawMutex}'s protocol without
 *       the fair hand-off (WebKit {@code BargingLock}): what eventual fairness buys.</li>
 * </ul>
 * They are constants of {@code org.parkinglot.benchmarks.LockType} of kind {@code STRAW_MAN}: lockbench
 * runs them only when named in {@code --locks}, and draws them dashed.
 */
package org.parkinglot.benchmarks.strawman;
