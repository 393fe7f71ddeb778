/**
 * Built-in serializer implementations behind {@link dev.cairn.state.Serializers}. Their snapshot classes are
 * public with no-argument constructors because snapshots name them; renaming one breaks reading old snapshots.
 */
package dev.cairn.state.internal.serializers;
