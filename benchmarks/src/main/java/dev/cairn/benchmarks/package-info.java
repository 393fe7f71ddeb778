/** JMH benchmarks of Cairn's backends; see {@code benchmarks/README.md} for how to run them. */
package dev.cairn.benchmarks;
