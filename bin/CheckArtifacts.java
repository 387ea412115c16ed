import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.lang.module.ModuleDescriptor;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks what Maven Central requires of each published module, on the jars a build left in
 * target/: the jar with META-INF/LICENSE and an Automatic-Module-Name (and, where it has internal
 * packages, a module-info that does not export them), a sources jar, a javadoc
 * jar, and a POM (with its parent) that has name, description, licenses, url, scm and developers;
 * and that the BOM lists every module at the parent's version. Run after {@code mvn verify}:
 * {@code java bin/CheckArtifacts.java}. Exit 1 on a problem; what is pending on purpose (the
 * project facts nobody has given yet) is printed loudly and does not fail the build.
 */
public class CheckArtifacts {
    static final List<String> MODULES = List.of("core", "ssh-transport", "testkit", "notify-email", "vip-ifconfig",
            "metrics-micrometer", "datasource", "coordination-zookeeper", "cli", "samples");
    /** Central requires them; their values are the project's to give, not the build's to invent. */
    static final List<String> PENDING = List.of("url", "scm", "developers");

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Element parent = pom(root.resolve("pom.xml"));
        String version = text(parent, "version");
        List<String> problems = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Element bom = pom(root.resolve("bom/pom.xml"));
        // The BOM has no parent (see its POM): it needs every field, and the signing profile, of its own.
        for (String file : List.of("pom.xml", "bom/pom.xml")) {
            Element project = file.equals("pom.xml") ? parent : bom;
            for (String field : List.of("name", "description", "licenses", "url", "scm", "developers")) {
                if (child(project, field) == null) {
                    (PENDING.contains(field) ? pending : problems).add(file + ": no <" + field + ">");
                }
            }
        }
        if (!Files.readString(root.resolve("bom/pom.xml")).contains("maven-gpg-plugin")) {
            problems.add("bom/pom.xml: no release profile signing it");
        }
        if (!version.equals(text(bom, "version"))) {
            problems.add("bom/pom.xml: version " + text(bom, "version") + ", the parent's is " + version);
        }
        String bomText = Files.readString(root.resolve("bom/pom.xml"));
        for (String module : MODULES) {
            Element pom = pom(root.resolve(module).resolve("pom.xml"));
            String artifact = text(pom, "artifactId");
            for (String field : List.of("name", "description")) {
                if (child(pom, field) == null) {
                    problems.add(module + "/pom.xml: no <" + field + ">");
                }
            }
            if (!bomText.contains("<artifactId>" + artifact + "</artifactId>")) {
                problems.add("bom/pom.xml: does not list " + artifact);
            }
            Path target = root.resolve(module).resolve("target");
            Path jar = target.resolve(artifact + "-" + version + ".jar");
            if (!Files.exists(jar)) {
                problems.add(module + ": no " + jar + " (run mvn verify first)");
                continue;
            }
            try (JarFile j = new JarFile(jar.toFile())) {
                if (j.getEntry("META-INF/LICENSE") == null) {
                    problems.add(jar.getFileName() + ": no META-INF/LICENSE");
                }
                String name = j.getManifest() == null ? null
                        : j.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                if (name == null || name.isBlank()) {
                    problems.add(jar.getFileName() + ": no Automatic-Module-Name in its manifest");
                }
                // An automatic module exports every package: a jar with internal packages needs a
                // descriptor that keeps them unexported.
                boolean hasInternal = j.stream().anyMatch(e -> e.getName().contains("/internal/"));
                JarEntry descriptor = j.getJarEntry("module-info.class");
                if (hasInternal && descriptor == null) {
                    problems.add(jar.getFileName() + ": internal packages but no module-info.class to hide them");
                } else if (descriptor != null) {
                    ModuleDescriptor d = ModuleDescriptor.read(j.getInputStream(descriptor));
                    d.exports().stream()
                            .filter(e -> e.source().contains(".internal"))
                            .forEach(e -> problems.add(jar.getFileName() + ": module-info exports " + e.source()));
                }
            }
            check(target.resolve(artifact + "-" + version + "-sources.jar"), ".java", problems);
            check(target.resolve(artifact + "-" + version + "-javadoc.jar"), "index.html", problems);
        }
        pending.forEach(p -> System.out.println("PENDING (not publishable to Maven Central until set): " + p));
        problems.forEach(p -> System.out.println("MISSING: " + p));
        System.out.println(problems.isEmpty() ? "artifacts: " + MODULES.size() + " modules and the BOM have what"
                + " Maven Central requires" + (pending.isEmpty() ? "" : ", but for the pending project facts above")
                : "artifacts: " + problems.size() + " problem(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static void check(Path jar, String entrySuffix, List<String> problems) throws IOException {
        if (!Files.exists(jar)) {
            problems.add("no " + jar);
            return;
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            if (j.stream().noneMatch(e -> e.getName().endsWith(entrySuffix))) {
                problems.add(jar.getFileName() + ": no *" + entrySuffix + " inside");
            }
        }
    }

    static Element pom(Path file) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    /** A direct child element of the project (not one nested in parent or dependencies). */
    static Element child(Element project, String name) {
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element project, String name) {
        Element e = child(project, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
