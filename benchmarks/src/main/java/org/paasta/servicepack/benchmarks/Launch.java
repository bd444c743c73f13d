package org.paasta.servicepack.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a broker is started, as an operator starts it: from the extracted layout the build leaves
 * next to the executable jar ({@code target/NAME/NAME.jar} with its {@code lib/}) and the class data
 * sharing archive the build trained there ({@code NAME.jsa}), or, where the build made none, from
 * the executable jar itself.
 */
record Launch(Path jar, Path archive) {
    static Launch of(Path executableJar) {
        String name = executableJar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path extracted = executableJar.toAbsolutePath().resolveSibling(name);
        Path jar = extracted.resolve(name + ".jar");
        Path archive = extracted.resolve(name + ".jsa");
        if (Files.isRegularFile(jar) && Files.isRegularFile(archive)) {
            return new Launch(jar, archive);
        }
        return new Launch(executableJar.toAbsolutePath(), null);
    }

    List<String> arguments() {
        return archive == null ? List.of("-jar", jar.toString())
                : List.of("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString());
    }

    /** For the report: which form was measured. */
    String describe() {
        return archive == null ? "`java -jar target/NAME.jar` (no class data sharing archive was built)"
                : "`java -XX:SharedArchiveFile=target/NAME/NAME.jsa -jar target/NAME/NAME.jar` (the extracted "
                        + "layout and the class data sharing archive the build trains)";
    }
}
