package io.mha4j.samples.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the wall around io.mha4j.internal real: what other modules use is the public API only. */
class ArchitectureTest {
    private final JavaClasses mha4j = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mha4j");

    @Test
    void every_module_but_core_uses_only_the_public_api() {
        noClasses().that().resideInAnyPackage("io.mha4j.samples..", "io.mha4j.testkit..", "io.mha4j.ssh..",
                "io.mha4j.vip..", "io.mha4j.notify..", "io.mha4j.metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.mha4j.internal..")
                .check(mha4j);
    }

    /** An internal type in a public signature would make it API after all, or leave the method unusable. */
    @Test
    void no_public_method_of_the_api_takes_or_returns_an_internal_type() {
        ArchCondition<JavaMethod> exposeNoInternalType = new ArchCondition<>("take and return no io.mha4j.internal"
                + " type") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
                types.add(method.getRawReturnType());
                types.stream().filter(t -> t.getPackageName().startsWith("io.mha4j.internal")).forEach(t ->
                        events.add(SimpleConditionEvent.violated(method, method.getFullName() + " exposes "
                                + t.getName())));
            }
        };
        methods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
                .and().areDeclaredInClassesThat().resideInAPackage("io.mha4j..")
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("io.mha4j.internal..")
                .should(exposeNoInternalType)
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
