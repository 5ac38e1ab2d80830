package io.kube2kafka.dev;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * What may import what, as the README's architecture section draws it. The Maven modules already
 * stop most wrong imports; these rules also hold inside a module (the watch core imports nothing from
 * Kafka or from the configuration) and keep the fixtures out of everything a user installs.
 * This module's classpath holds every module, so one import sees them all.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kube2kafka");
    }

    @Test
    void layersPointDown() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("watch").definedBy("io.kube2kafka.watch..")
                .layer("core").definedBy("io.kube2kafka.cluster..", "io.kube2kafka.config..", "io.kube2kafka.transform..")
                .layer("publish").definedBy("io.kube2kafka.publish..")
                .layer("bridge").definedBy("io.kube2kafka.bridge..", "io.kube2kafka.ops..", "io.kube2kafka.cli..")
                .layer("connect").definedBy("io.kube2kafka.connect..")
                .layer("fixtures").definedBy("io.kube2kafka.sim..", "io.kube2kafka.broker..")
                .layer("dev").definedBy("io.kube2kafka.dev..")
                .whereLayer("dev").mayNotBeAccessedByAnyLayer()
                .whereLayer("connect").mayOnlyBeAccessedByLayers("dev")
                .whereLayer("bridge").mayOnlyBeAccessedByLayers("dev")
                .whereLayer("publish").mayOnlyBeAccessedByLayers("bridge", "connect", "dev")
                .whereLayer("core").mayOnlyBeAccessedByLayers("publish", "bridge", "connect", "dev")
                .whereLayer("fixtures").mayOnlyBeAccessedByLayers("dev");
        layers.check(classes);
    }

    @Test
    void theWatchCoreHasNoKafkaTypes() {
        noClasses().that().resideInAnyPackage("io.kube2kafka.watch..", "io.kube2kafka.cluster..", "io.kube2kafka.config..",
                        "io.kube2kafka.transform..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .because("the watch core must run under any sink (the bridge's publisher, a Connect task)")
                .check(classes);
    }

    @Test
    void theProductionRuntimeCarriesNoFixture() {
        noClasses().that().resideInAnyPackage("io.kube2kafka.watch..", "io.kube2kafka.cluster..", "io.kube2kafka.config..",
                        "io.kube2kafka.transform..", "io.kube2kafka.publish..", "io.kube2kafka.bridge..", "io.kube2kafka.ops..",
                        "io.kube2kafka.cli..", "io.kube2kafka.connect..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kube2kafka.sim..", "io.kube2kafka.broker..",
                        "io.kube2kafka.dev..", "io.kube2kafka.testing..", "io.kube2kafka.bench..")
                .because("the image and the Connect plugin hold only what runs in production")
                .check(classes);
    }
}
