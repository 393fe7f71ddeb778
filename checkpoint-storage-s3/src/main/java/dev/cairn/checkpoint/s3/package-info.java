/**
 * Checkpoint, savepoint and changelog storage on S3-compatible object stores: the {@code s3://} file system and its
 * options.
 */
package dev.cairn.checkpoint.s3;
