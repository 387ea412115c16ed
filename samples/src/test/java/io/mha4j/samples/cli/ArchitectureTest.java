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
    void everyModuleButCoreUsesOnlyThePublicApi() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.mha4j.samples..",
                        "io.mha4j.cli..",
                        "io.mha4j.testkit..",
                        "io.mha4j.ssh..",
                        "io.mha4j.vip..",
                        "io.mha4j.notify..",
                        "io.mha4j.metrics..",
                        "io.mha4j.coordination.zookeeper..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.mha4j.internal..")
                .check(mha4j);
    }

    /** An internal type in a public signature would make it API after all, or leave the method unusable. */
    @Test
    void noPublicMethodOfTheApiTakesOrReturnsAnInternalType() {
        ArchCondition<JavaMethod> exposeNoInternalType =
                new ArchCondition<>("take and return no io.mha4j.internal" + " type") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
                        types.add(method.getRawReturnType());
                        types.stream()
                                .filter(t -> t.getPackageName().startsWith("io.mha4j.internal"))
                                .forEach(t -> events.add(SimpleConditionEvent.violated(
                                        method, method.getFullName() + " exposes " + t.getName())));
                    }
                };
        methods()
                .that()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .resideInAPackage("io.mha4j..")
                .and()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage("io.mha4j.internal..")
                .should(exposeNoInternalType)
                .check(mha4j);
    }

    @Test
    void theTestkitDoesNotDependOnTheCodeItJudges() {
        noClasses()
                .that()
                .resideInAPackage("io.mha4j.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.mha4j", "io.mha4j.config..", "io.mha4j.server..", "io.mha4j.gtid..", "io.mha4j.internal..")
                .check(mha4j);
    }

    @Test
    void publicPackagesOfCoreDoNotDependOnTheCommandLine() {
        noClasses()
                .that()
                .resideInAnyPackage("io.mha4j", "io.mha4j.config..", "io.mha4j.server..", "io.mha4j.gtid..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.mha4j.samples..", "io.mha4j.cli..", "picocli..")
                .check(mha4j);
    }

    /** One naming style for the tests of every module: a sentence in camelCase, as most were written. */
    @Test
    void everyTestMethodOfTheRepositoryIsNamedInCamelCase() throws java.io.IOException {
        java.util.regex.Pattern testMethod = java.util.regex.Pattern.compile("@(?:Test|ParameterizedTest|RepeatedTest"
                + "|TestFactory)\\b[^\\n]*\\n(?:\\s*@[^\\n]*\\n)*\\s*(?:public\\s+|static\\s+)*void\\s+(\\w+)\\s*\\(");
        java.nio.file.Path repository =
                java.nio.file.Path.of("..").toAbsolutePath().normalize();
        List<String> snake = new ArrayList<>();
        int seen = 0;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(repository)) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".java")
                            && f.toString().contains("/src/test/java/")
                            && !f.toString().contains("/target/"))
                    .toList()) {
                java.util.regex.Matcher m = testMethod.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    seen++;
                    if (m.group(1).contains("_")) {
                        snake.add(repository.relativize(f) + ": " + m.group(1));
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(seen)
                .as("test methods found under " + repository)
                .isGreaterThan(500);
        org.assertj.core.api.Assertions.assertThat(snake)
                .as("test methods in snake_case")
                .isEmpty();
    }
}
