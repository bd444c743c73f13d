package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.broker.PlanResolver;
import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;

/** The catalog this broker ships with, as the SDK reads it, and its limits bound to our type as the broker binds them. */
class CatalogTest {
    @Test
    void keepsPaastaIdsAndBindsTheLimits() throws Exception {
        CatalogPlan plan = Requests.catalogPlan();

        // The ids PaaS-TA platforms registered (paas-ta-compatibility.md): equal to the names for
        // MongoDB. Tests name the service and plan by their names everywhere else; this is the one
        // place that says the ids never change.
        assertThat(plan.serviceId()).isEqualTo("Mongo-DB");
        assertThat(plan.id()).isEqualTo("default-plan");

        InputStream file = getClass().getResourceAsStream("/catalog/mongodb.yml");
        assertThat(file).isNotNull();
        ServiceCatalog catalog = new CatalogLoader().load(List.of(new CatalogLoader.Source("mongodb.yml", file)));
        assertThat(catalog.body().path("services").get(0).path("tags").toString()).contains("\"mongodb\"");

        MongodbLimits limits = new PlanResolver<>(catalog, MongodbLimits.class, new ObjectMapper())
                .plan(plan.id()).limits();
        assertThat(limits.maxBindings()).isEqualTo(50);
        assertThat(limits.storageMb()).as("no storage allowance promised: MongoDB has no quota").isNull();
    }

    @Test
    void aPlanMayGiveAStorageAllowanceForTheDashboard() {
        assertThat(limits("max_bindings: 5\n          storage_mb: 512")).isEqualTo(new MongodbLimits(5, 512));
        assertThatThrownBy(() -> limits("max_bindings: 5\n          storage_mb: 0"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("storage_mb must be at least 1");
        assertThatThrownBy(() -> limits("max_bindings: 5")).as("every limit is written out, null for none")
                .isInstanceOf(CatalogException.class).hasMessageContaining("storage_mb");
    }

    /** The shipped catalog with other limits, bound as the broker binds them at start. */
    private static MongodbLimits limits(String yaml) {
        String shipped;
        try (InputStream file = CatalogTest.class.getResourceAsStream("/catalog/mongodb.yml")) {
            shipped = new String(file.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String changed = shipped.replaceFirst("max_bindings: 50\\n(?:\\s*#.*\\n)*\\s*storage_mb: null", yaml);
        assertThat(changed).isNotEqualTo(shipped);
        ServiceCatalog catalog = new CatalogLoader().load(List.of(new CatalogLoader.Source("mongodb.yml",
                new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)))));
        return new PlanResolver<>(catalog, MongodbLimits.class, new ObjectMapper()).plan("default-plan").limits();
    }
}
