/** Internals of the S3 file system; not API. */
package dev.cairn.checkpoint.s3.internal;
