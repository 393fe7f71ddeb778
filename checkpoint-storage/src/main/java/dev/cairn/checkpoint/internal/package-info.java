/** Internals of checkpoint storage: the local file system, file streams, metadata JSON. */
package dev.cairn.checkpoint.internal;
