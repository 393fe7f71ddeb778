/** TTL decorators over a backend's internal states of {@link dev.cairn.state.spi.TtlValue}s. */
package dev.cairn.state.internal.ttl;
