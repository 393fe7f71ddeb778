/**
 * The conformance suite (TCK) of Cairn's state backends: abstract JUnit 5 test classes per capability, gathered in
 * {@link dev.cairn.conformance.StateBackendConformanceSuite}, and the jqwik model test
 * {@link dev.cairn.conformance.StateModelProperties}. A backend runs all of it by subclassing both with a
 * {@link dev.cairn.conformance.BackendFixture} that creates the backend; Cairn's heap and RocksDB backends do so in
 * their own modules' tests, the storage and changelog variants in the integration tests.
 */
package dev.cairn.conformance;
