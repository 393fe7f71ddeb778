/**
 * Wiring: loading configuration files ({@link dev.cairn.config.ConfigLoader}), choosing backends and storages
 * by name ({@link dev.cairn.config.StateBackendLoader}, {@link dev.cairn.config.CheckpointStorageLoader}), and the
 * {@link dev.cairn.config.StateEnvironment} facade most applications use.
 */
package dev.cairn.config;
