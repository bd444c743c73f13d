package org.paasta.servicepack.sdk.catalog;

import java.util.List;

/** A catalog file that cannot be served; the message names the file and every bad field. */
public class CatalogException extends RuntimeException {
    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super("Invalid service catalog:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
