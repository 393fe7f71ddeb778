/** Operator state objects behind {@link dev.cairn.state.support.DefaultOperatorStateBackend}. */
package dev.cairn.state.internal.operator;
