/** Implementation of the state processor; not exported. */
package dev.cairn.processor.internal;
