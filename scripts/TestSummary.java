import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What `make test` prints last: tests run, failed and skipped — the skipped ones grouped by their reason — read from
 * every Surefire and Failsafe XML report and every invoker IT report under a directory. A single-file program
 * (`java scripts/TestSummary.java DIR [--require-skip TEXT]... [--forbid-skip]`) so it needs nothing but the JDK.
 *
 * <p>Exit status: 0, or 1 when a test failed, a test class ran and skipped no test, no report was found, a `--require-skip` text matched no skip reason,
 * or `--forbid-skip` was given and something was skipped.
 */
public final class TestSummary {

    private int run;
    private final List<String> failed = new ArrayList<>();
    private final Map<String, List<String>> skippedByReason = new TreeMap<>();
    private int reports;
    private int invokerPassed;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : ".");
        List<String> requiredSkips = new ArrayList<>();
        boolean forbidSkip = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--require-skip") && i + 1 < args.length) {
                requiredSkips.add(args[++i]);
            } else if (args[i].equals("--forbid-skip")) {
                forbidSkip = true;
            }
        }
        TestSummary summary = new TestSummary();
        summary.read(root);
        System.exit(summary.print(root, requiredSkips, forbidSkip));
    }

    private void read(Path root) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(TestSummary::isReport).sorted().toList();
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        for (Path file : files) {
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            reports++;
            if (file.getFileName().toString().startsWith("BUILD-")) {
                readInvoker(file, doc.getDocumentElement());
            } else {
                readSuite(doc.getDocumentElement());
            }
        }
    }

    private static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        String dir = p.getParent() == null ? "" : p.getParent().getFileName().toString();
        if (p.toString().contains("/it/") && !dir.equals("invoker-reports")) {
            return false; // the invoker ITs' own nested builds: counted once through their BUILD-*.xml
        }
        return (dir.equals("surefire-reports") || dir.equals("failsafe-reports")) && name.startsWith("TEST-")
                && name.endsWith(".xml")
                || dir.equals("invoker-reports") && name.startsWith("BUILD-") && name.endsWith(".xml");
    }

    private void readSuite(Element suite) {
        NodeList cases = suite.getElementsByTagName("testcase");
        if (cases.getLength() == 0) {
            // A class whose @BeforeAll aborted (a missing tool) without CountedSkips: its tests would vanish uncounted.
            run++;
            failed.add(shortClass(suite.getAttribute("name")) + ": ran no test and skipped none (a @BeforeAll that"
                    + " gave up? Use @ExtendWith(SkipsCounted.class) so each test is counted as skipped)");
            return;
        }
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String name = shortClass(c.getAttribute("classname")) + "." + c.getAttribute("name");
            run++;
            Element problem = child(c, "failure", "error");
            Element skipped = child(c, "skipped");
            if (problem != null) {
                failed.add(name + ": " + reason(problem));
            } else if (skipped != null) {
                skippedByReason.computeIfAbsent(reason(skipped), k -> new ArrayList<>()).add(name);
            }
        }
    }

    private void readInvoker(Path file, Element build) {
        String name = "invoker IT " + file.getParent().getParent().getParent().getFileName() + "/"
                + build.getAttribute("project").replaceFirst("/pom.xml$", "");
        run++;
        switch (build.getAttribute("result")) {
            case "success" -> invokerPassed++;
            case "skipped" -> skippedByReason.computeIfAbsent("invoker: " + (build.getAttribute("failureMessage").isBlank()
                    ? "skipped by its selector (a test tool it needs is missing; its build.log says which)"
                    : firstLine(build.getAttribute("failureMessage"))), k -> new ArrayList<>()).add(name);
            default -> failed.add(name + ": " + firstLine(build.getAttribute("failureMessage")));
        }
    }

    private int print(Path root, List<String> requiredSkips, boolean forbidSkip) {
        int skipped = skippedByReason.values().stream().mapToInt(List::size).sum();
        System.out.println();
        System.out.println("== Test summary: " + reports + " reports under " + root.toAbsolutePath().normalize() + " ==");
        System.out.printf("   %d run, %d passed, %d failed, %d skipped (invoker ITs passed: %d)%n",
                run, run - failed.size() - skipped, failed.size(), skipped, invokerPassed);
        if (!skippedByReason.isEmpty()) {
            System.out.println("   skipped, by reason:");
            skippedByReason.forEach((reason, tests) -> {
                System.out.printf("   %4d  %s%n", tests.size(), reason);
                System.out.println("         " + abbreviate(tests));
            });
        }
        failed.forEach(f -> System.out.println("   FAILED " + f));
        int status = 0;
        if (reports == 0) {
            System.out.println("   no test reports found: did the tests run?");
            status = 1;
        }
        if (!failed.isEmpty()) {
            status = 1;
        }
        for (String required : requiredSkips) {
            if (skippedByReason.keySet().stream().noneMatch(r -> r.contains(required))) {
                System.out.println("   EXPECTED a test skipped for a reason containing \"" + required + "\"; none was");
                status = 1;
            }
        }
        if (forbidSkip && skipped > 0) {
            System.out.println("   EXPECTED no skipped test");
            status = 1;
        }
        return status;
    }

    private static String abbreviate(List<String> tests) {
        Map<String, Integer> perClass = new TreeMap<>();
        tests.forEach(t -> perClass.merge(t.substring(0, t.indexOf('.') < 0 ? t.length() : t.indexOf('.')), 1, Integer::sum));
        StringBuilder line = new StringBuilder();
        perClass.forEach((c, n) -> line.append(line.length() == 0 ? "" : ", ").append(c).append(n > 1 ? " (" + n + ")" : ""));
        return line.toString();
    }

    private static Element child(Element parent, String... names) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && List.of(names).contains(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    /** The message attribute, else the exception's message from the stack trace Surefire wrote as text. */
    private static String reason(Element e) {
        String message = e.getAttribute("message");
        if (message.isBlank()) {
            message = firstLine(e.getTextContent()).replaceFirst("^[\\w.$]+(Exception|Error): ", "");
        }
        return message.isBlank() ? "(no reason given)" : firstLine(message);
    }

    private static String shortClass(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() > 240 ? line.substring(0, 237) + "..." : line;
    }
}
