package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One binding as a directory of the Kubernetes Service Binding specification (servicebinding.io),
 * which Spring Cloud Bindings reads from {@code $SERVICE_BINDING_ROOT/<name>/}: one file per
 * credential field, holding its value, plus {@code type} and {@code provider}.
 */
final class ServiceBindingDirectory {
    /** Entry names become file names: no separators, no dot-only names, nothing hidden. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]{0,252}");

    private ServiceBindingDirectory() {
    }

    /**
     * What the directory will hold: credential fields as text (strings as they are, numbers and
     * booleans as written, arrays and objects as JSON), then {@code type} and {@code provider},
     * which win over credential fields of the same names.
     *
     * @return entries by file name, and the credential fields left out (with why) in {@code skipped}
     */
    static Map<String, String> entries(JsonNode credentials, String type, String provider, List<String> skipped) {
        Map<String, String> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = credentials.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!SAFE_NAME.matcher(name).matches()) {
                skipped.add(name + " (not usable as a file name)");
                continue;
            }
            if (name.equals("type") || name.equals("provider")) {
                skipped.add(name + " (the binding's own '" + name + "' entry takes that name)");
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            entries.put(name, value.isValueNode() ? value.asText() : value.toString());
        }
        entries.put("type", type);
        if (provider != null) {
            entries.put("provider", provider);
        }
        return entries;
    }

    /** Fails (exit 1) when {@link #write} would refuse {@code dir}: checked before the broker makes a binding. */
    static void checkUsable(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw CliFailure.usage(dir + " exists and is not a directory");
        }
        try (var listing = Files.list(dir)) {
            Path stranger = listing.filter(file -> !Files.isRegularFile(file)
                    || !SAFE_NAME.matcher(file.getFileName().toString()).matches()).findFirst().orElse(null);
            if (stranger != null) {
                throw CliFailure.usage("refusing to write the binding into " + dir + ": it holds " + stranger.getFileName()
                        + ", which is not a binding entry; name an empty or new directory");
            }
        } catch (IOException e) {
            throw CliFailure.usage("cannot read the binding directory " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Writes the directory (0700, files 0600). A directory that exists must hold only such entry
     * files: it is emptied first, so an old binding's fields do not linger.
     */
    static void write(Path dir, Map<String, String> entries) {
        try {
            checkUsable(dir);
            if (Files.exists(dir)) {
                List<Path> old = new ArrayList<>();
                try (var listing = Files.list(dir)) {
                    listing.forEach(old::add);
                }
                for (Path file : old) {
                    Files.delete(file);
                }
            } else {
                Files.createDirectories(dir);
            }
            boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
            if (posix) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                Path file = dir.resolve(entry.getKey());
                if (posix) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY));
                }
                Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw CliFailure.usage("cannot write the binding directory " + dir + ": " + e.getMessage());
        }
    }
}
