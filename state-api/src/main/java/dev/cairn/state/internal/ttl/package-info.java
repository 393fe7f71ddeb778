/**
 * TTL decorators over a backend's internal states of {@link dev.cairn.state.spi.TtlValue}s, with Flink's semantics
 * (see {@link dev.cairn.state.spi.TtlStateFactory}).
 */
package dev.cairn.state.internal.ttl;
