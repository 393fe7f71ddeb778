/** Internals of the config module. */
package dev.cairn.config.internal;
