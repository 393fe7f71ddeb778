/**
 * The file-system SPI of checkpoint storage: {@link dev.cairn.checkpoint.fs.FileSystem} (the few operations storage
 * needs), {@link dev.cairn.checkpoint.fs.StoragePath}, the {@link dev.cairn.checkpoint.fs.FileSystemFactory} a module
 * registers for its URI scheme, and the {@link dev.cairn.checkpoint.fs.FileSystemRegistry} through which an owner (a
 * storage) creates, shares and closes its file systems. Nothing here is process-global.
 */
package dev.cairn.checkpoint.fs;
