package io.mha4j.ssh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A plugin module uses core's public API only, as a third party's plugin would have to. */
class ArchitectureTest {

    @Test
    void theSshTransportDoesNotReachIntoCoresInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.mha4j.ssh..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.mha4j.internal..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.mha4j.ssh"));
    }
}
