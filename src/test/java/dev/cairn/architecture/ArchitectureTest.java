package dev.cairn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module picture of {@code docs/architecture.md}, checked on the compiled main classes of every library module:
 * dependencies point only up the picture, no module reaches into another's {@code internal} packages, and the native
 * and cloud libraries stay in the one module that wraps each.
 */
class ArchitectureTest {
    /** A library module and the packages it owns. */
    private record Module(String name, String... packages) {}

    private static final Module STATE_API = new Module(
            "state-api",
            "dev.cairn.state",
            "dev.cairn.state.spi..",
            "dev.cairn.state.metrics..",
            "dev.cairn.state.support..",
            "dev.cairn.state.internal..");
    private static final Module STATE_CONFORMANCE = new Module("state-conformance", "dev.cairn.conformance..");
    private static final Module STATE_HEAP = new Module("state-heap", "dev.cairn.state.heap..");
    private static final Module STATE_ROCKSDB = new Module("state-rocksdb", "dev.cairn.state.rocksdb..");
    private static final Module CHECKPOINT_STORAGE =
            new Module("checkpoint-storage", "dev.cairn.checkpoint", "dev.cairn.checkpoint.internal..");
    private static final Module CHECKPOINT_STORAGE_S3 =
            new Module("checkpoint-storage-s3", "dev.cairn.checkpoint.s3..");
    private static final Module CHANGELOG = new Module("changelog", "dev.cairn.changelog..");
    private static final Module CONFIG = new Module("config", "dev.cairn.config..");
    private static final Module PROCESSOR = new Module("state-processor", "dev.cairn.processor..");
    private static final Module CLI = new Module("cli", "dev.cairn.cli..");
    private static final Module KAFKA = new Module("kafka", "dev.cairn.kafka..");
    private static final Module METRICS = new Module("metrics-micrometer", "dev.cairn.metrics.micrometer..");
    private static final Module EXAMPLES = new Module("examples", "dev.cairn.examples..");

    private static final List<Module> MODULES = List.of(
            STATE_API,
            STATE_CONFORMANCE,
            STATE_HEAP,
            STATE_ROCKSDB,
            CHECKPOINT_STORAGE,
            CHECKPOINT_STORAGE_S3,
            CHANGELOG,
            CONFIG,
            PROCESSOR,
            CLI,
            KAFKA,
            METRICS,
            EXAMPLES);

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cairn");
    }

    @Test
    void everyLibraryModuleWasImported() {
        for (Module module : MODULES) {
            String root = module.packages()[0].replace("..", "");
            org.assertj.core.api.Assertions.assertThat(
                            classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                    .as("classes of %s on the test class path", module.name())
                    .isTrue();
        }
    }

    @Test
    void dependenciesPointOnlyUpTheModulePicture() {
        ArchRule rule = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer(STATE_API.name())
                .definedBy(STATE_API.packages())
                .layer(STATE_CONFORMANCE.name())
                .definedBy(STATE_CONFORMANCE.packages())
                .layer(STATE_HEAP.name())
                .definedBy(STATE_HEAP.packages())
                .layer(STATE_ROCKSDB.name())
                .definedBy(STATE_ROCKSDB.packages())
                .layer(CHECKPOINT_STORAGE.name())
                .definedBy(CHECKPOINT_STORAGE.packages())
                .layer(CHECKPOINT_STORAGE_S3.name())
                .definedBy(CHECKPOINT_STORAGE_S3.packages())
                .layer(CHANGELOG.name())
                .definedBy(CHANGELOG.packages())
                .layer(CONFIG.name())
                .definedBy(CONFIG.packages())
                .layer(PROCESSOR.name())
                .definedBy(PROCESSOR.packages())
                .layer(CLI.name())
                .definedBy(CLI.packages())
                .layer(KAFKA.name())
                .definedBy(KAFKA.packages())
                .layer(METRICS.name())
                .definedBy(METRICS.packages())
                .layer(EXAMPLES.name())
                .definedBy(EXAMPLES.packages())
                .whereLayer(EXAMPLES.name())
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(CLI.name())
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(KAFKA.name())
                .mayOnlyBeAccessedByLayers(EXAMPLES.name())
                .whereLayer(METRICS.name())
                .mayOnlyBeAccessedByLayers(EXAMPLES.name())
                .whereLayer(PROCESSOR.name())
                .mayOnlyBeAccessedByLayers(CLI.name())
                .whereLayer(STATE_CONFORMANCE.name())
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(CONFIG.name())
                .mayOnlyBeAccessedByLayers(CLI.name(), KAFKA.name(), METRICS.name(), EXAMPLES.name())
                .whereLayer(CHANGELOG.name())
                .mayOnlyBeAccessedByLayers(CONFIG.name(), PROCESSOR.name(), CLI.name(), EXAMPLES.name())
                .whereLayer(CHECKPOINT_STORAGE_S3.name())
                .mayOnlyBeAccessedByLayers(CONFIG.name(), CLI.name())
                .whereLayer(CHECKPOINT_STORAGE.name())
                .mayOnlyBeAccessedByLayers(
                        CHECKPOINT_STORAGE_S3.name(),
                        CHANGELOG.name(),
                        CONFIG.name(),
                        PROCESSOR.name(),
                        CLI.name(),
                        KAFKA.name(),
                        EXAMPLES.name())
                .whereLayer(STATE_HEAP.name())
                // The offline tools restore incremental heap checkpoints through the heap backend, as native
                // RocksDB checkpoints through RocksDB.
                .mayOnlyBeAccessedByLayers(CONFIG.name(), PROCESSOR.name(), CLI.name(), EXAMPLES.name())
                .whereLayer(STATE_ROCKSDB.name())
                .mayOnlyBeAccessedByLayers(CONFIG.name(), PROCESSOR.name(), CLI.name(), EXAMPLES.name());
        rule.check(classes);
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        for (Module owner : MODULES) {
            for (String ownPackage : owner.packages()) {
                String internal = ownPackage.replace("..", "") + ".internal..";
                for (Module other : MODULES) {
                    if (other == owner) {
                        continue;
                    }
                    noClasses()
                            .that()
                            .resideInAnyPackage(other.packages())
                            .should()
                            .dependOnClassesThat()
                            .resideInAPackage(internal)
                            .as(other.name() + " does not use " + owner.name() + "'s internal package " + internal)
                            .allowEmptyShould(true)
                            .check(classes);
                }
            }
        }
    }

    @Test
    void rocksDBIsUsedOnlyByTheRocksDBBackend() {
        noClasses()
                .that()
                .resideOutsideOfPackages(STATE_ROCKSDB.packages())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.rocksdb..")
                .check(classes);
    }

    @Test
    void theAwsSdkIsUsedOnlyByTheS3Storage() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CHECKPOINT_STORAGE_S3.packages())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon..")
                .check(classes);
    }

    @Test
    void theApplicationApiDoesNotDependOnSharedImplementation() {
        noClasses()
                .that()
                .resideInAPackage("dev.cairn.state")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.cairn.state.support..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.cairn.state.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.cairn.state.support..", "dev.cairn.state.internal..")
                .check(classes);
    }
}
