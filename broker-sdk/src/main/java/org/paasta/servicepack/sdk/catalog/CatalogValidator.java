package org.paasta.servicepack.sdk.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build-time check of a folder of catalog files: {@code java CatalogValidator catalog/}. Exits
 * non-zero and names every bad file and field, so a broken catalog never reaches a package.
 * Files are validated one by one (each broker serves its own file) and then together (ids must be
 * globally unique across the whole marketplace).
 */
public final class CatalogValidator {
    private CatalogValidator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "catalog");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        if (files.isEmpty()) {
            System.err.println("No catalog files (*.yml) in " + dir.toAbsolutePath());
            System.exit(1);
        }
        try {
            ServiceCatalog catalog = new CatalogLoader().load(files.stream().map(CatalogValidator::source).toList());
            System.out.println("Catalog valid: " + files.size() + " files, " + catalog.plans().size() + " plans");
        } catch (CatalogException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static CatalogLoader.Source source(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            return new CatalogLoader.Source("catalog/" + file.getFileName(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests: every problem of the given files, or an empty list. */
    public static List<String> problems(List<Path> files) {
        try {
            new CatalogLoader().load(files.stream().map(CatalogValidator::source).toList());
            return List.of();
        } catch (CatalogException e) {
            return new ArrayList<>(e.problems());
        }
    }
}
