/** Operator state objects behind {@link dev.cairn.state.spi.DefaultOperatorStateBackend}. */
package dev.cairn.state.internal.operator;
