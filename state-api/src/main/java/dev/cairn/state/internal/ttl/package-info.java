/**
 * TTL decorators over a backend's internal states of {@link dev.cairn.state.support.TtlValue}s, with Flink's semantics
 * (see {@link dev.cairn.state.internal.ttl.TtlStateFactory}).
 */
package dev.cairn.state.internal.ttl;
