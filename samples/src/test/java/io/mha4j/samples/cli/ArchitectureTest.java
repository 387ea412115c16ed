package io.mha4j.samples.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the wall around io.mha4j.internal real: what other modules use is the public API only. */
class ArchitectureTest {
    private final JavaClasses mha4j = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mha4j");

    @Test
    void samples_and_testkit_use_only_the_public_api() {
        noClasses().that().resideInAnyPackage("io.mha4j.samples..", "io.mha4j.testkit..")
                .should().dependOnClassesThat().resideInAPackage("io.mha4j.internal..")
                .check(mha4j);
    }

    @Test
    void the_testkit_does_not_depend_on_the_code_it_judges() {
        noClasses().that().resideInAPackage("io.mha4j.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mha4j", "io.mha4j.config..", "io.mha4j.server..",
                        "io.mha4j.gtid..", "io.mha4j.internal..")
                .check(mha4j);
    }

    @Test
    void public_packages_of_core_do_not_depend_on_the_command_line() {
        noClasses().that().resideInAnyPackage("io.mha4j", "io.mha4j.config..", "io.mha4j.server..", "io.mha4j.gtid..")
                .should().dependOnClassesThat().resideInAnyPackage("io.mha4j.samples..", "picocli..")
                .check(mha4j);
    }
}
