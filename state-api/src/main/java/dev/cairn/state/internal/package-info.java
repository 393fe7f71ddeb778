/** Internals of the state API module; never referenced from other modules. */
package dev.cairn.state.internal;
