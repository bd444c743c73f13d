package org.paasta.servicepack.sdk.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {
    static ServiceCatalog load(String name, String yaml) {
        return new CatalogLoader().load(List.of(new CatalogLoader.Source(name,
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
    }

    static final String GOOD = """
            services:
              - id: s1
                name: svc
                description: d
                bindable: true
                plans:
                  - id: p1
                    name: plan-a
                    description: d
                    limits: {connections: 5}
                    schemas:
                      service_instance:
                        create:
                          parameters:
                            $schema: http://json-schema.org/draft-04/schema#
                            type: object
            """;

    @Test
    void validCatalogIsServedWithoutLimits() {
        ServiceCatalog catalog = load("catalog/good.yml", GOOD);
        assertThat(catalog.plans()).hasSize(1);
        assertThat(catalog.plan("s1", "p1")).isPresent();
        assertThat(catalog.plan("other", "p1")).isEmpty();
        assertThat(new String(catalog.json(), StandardCharsets.UTF_8)).contains("plan-a").doesNotContain("limits");
    }

    @Test
    void everyProblemIsNamedWithFileAndField() {
        String broken = GOOD.replace("name: plan-a", "name: plan a")
                .replace("id: p1", "id: s1")
                .replace("type: object", "type: objekt")
                .replace("bindable: true", "bindable: yes-please")
                .replace("limits:", "limitz:");
        assertThatThrownBy(() -> load("catalog/broken.yml", broken))
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> {
                    List<String> problems = ((CatalogException) e).problems();
                    assertThat(problems).allMatch(p -> p.startsWith("catalog/broken.yml: services[0]"));
                    assertThat(problems).anyMatch(p -> p.contains("plans[0].name") && p.contains("CLI-friendly"));
                    assertThat(problems).anyMatch(p -> p.contains("plans[0].id") && p.contains("globally unique"));
                    assertThat(problems).anyMatch(p -> p.contains("create.parameters") && p.contains("JSON Schema"));
                    assertThat(problems).anyMatch(p -> p.contains(".bindable"));
                    assertThat(problems).anyMatch(p -> p.contains("limitz") && p.contains("unknown field"));
                });
    }

    @Test
    void schemaWithoutDollarSchemaOrWithExternalRefIsRefused() {
        String noDollar = GOOD.replace("$schema: http://json-schema.org/draft-04/schema#", "title: t");
        assertThatThrownBy(() -> load("catalog/a.yml", noDollar)).hasMessageContaining("$schema");
        String external = GOOD.replace("type: object", "$ref: http://example.com/schema.json");
        assertThatThrownBy(() -> load("catalog/b.yml", external)).hasMessageContaining("external $ref");
    }

    @Test
    void idsMustBeUniqueAcrossFiles() {
        assertThatThrownBy(() -> new CatalogLoader().load(List.of(
                new CatalogLoader.Source("catalog/one.yml", new ByteArrayInputStream(GOOD.getBytes())),
                new CatalogLoader.Source("catalog/two.yml",
                        new ByteArrayInputStream(GOOD.replace("name: svc", "name: svc2").getBytes())))))
                .hasMessageContaining("catalog/two.yml: services[0].id: 's1' is already the id of catalog/one.yml");
    }

    @Test
    void theProjectsCatalogFilesAreValid() throws Exception {
        Path dir = Path.of("../catalog");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yml")).toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(CatalogValidator.problems(files)).isEmpty();
    }
}
