/**
 * {@code lockbench}: the one-command side-by-side comparison of this project's locks with the JDK's
 * and Guava's, after parking_lot's benchmark harness. Entry point {@link
 * org.parkinglot.benchmarks.lockbench.LockBench}; competitors in {@link
 * org.parkinglot.benchmarks.lockbench.Competitors}; the timed run in {@link
 * org.parkinglot.benchmarks.lockbench.Workload}; report writers {@link
 * org.parkinglot.benchmarks.lockbench.TableWriter}, {@link org.parkinglot.benchmarks.lockbench.ResultsFile}
 * and {@link org.parkinglot.benchmarks.lockbench.ChartWriter}. Usage: {@code benchmarks/LOCKBENCH.md}.
 */
package org.parkinglot.benchmarks.lockbench;
