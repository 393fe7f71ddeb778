/**
 * Cairn's public state API: the state types application code touches ({@link dev.cairn.state.ValueState},
 * {@link dev.cairn.state.ListState}, {@link dev.cairn.state.MapState}, {@link dev.cairn.state.ReducingState},
 * {@link dev.cairn.state.AggregatingState}), their descriptors, serializers ({@link dev.cairn.state.Serializers}),
 * key groups, typed configuration and the exception hierarchy.
 *
 * <p>Backends and runtimes meet in {@link dev.cairn.state.spi}.
 */
package dev.cairn.state;
