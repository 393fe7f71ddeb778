/** Internals of the changelog backend: the change format, the writer, state wrappers, replay, uploads. */
package dev.cairn.changelog.internal;
