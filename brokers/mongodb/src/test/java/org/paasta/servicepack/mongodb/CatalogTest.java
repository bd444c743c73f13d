package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;

/** The catalog this broker ships with, as the SDK reads it, and its limits bound to our type. */
class CatalogTest {
    @Test
    void keepsPaastaIdsAndBindsTheLimits() throws Exception {
        InputStream file = getClass().getResourceAsStream("/catalog/mongodb.yml");
        assertThat(file).isNotNull();
        ServiceCatalog catalog = new CatalogLoader().load(List.of(new CatalogLoader.Source("mongodb.yml", file)));

        CatalogPlan plan = catalog.plan("Mongo-DB", "default-plan").orElseThrow();
        assertThat(plan.serviceName()).isEqualTo("Mongo-DB");
        assertThat(plan.name()).isEqualTo("default-plan");
        assertThat(catalog.body().path("services").get(0).path("tags").toString()).contains("\"mongodb\"");

        MongodbLimits limits = new ObjectMapper().treeToValue(plan.limits(), MongodbLimits.class);
        assertThat(limits.maxBindings()).isEqualTo(50);
    }
}
