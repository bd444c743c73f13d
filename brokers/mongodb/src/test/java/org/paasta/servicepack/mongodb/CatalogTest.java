package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        MongodbLimits limits = new ObjectMapper().treeToValue(plan.limits(), MongodbLimits.class);
        assertThat(limits.maxBindings()).isEqualTo(50);
        assertThat(limits.storageMb()).as("no storage allowance promised: MongoDB has no quota").isNull();
    }

    @Test
    void aPlanMayGiveAStorageAllowanceForTheDashboard() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue("{\"max_bindings\": 5, \"storage_mb\": 512}", MongodbLimits.class))
                .isEqualTo(new MongodbLimits(5, 512));
        assertThat(json.readValue("{\"max_bindings\": 5}", MongodbLimits.class)).isEqualTo(new MongodbLimits(5));
        assertThatThrownBy(() -> json.readValue("{\"max_bindings\": 5, \"storage_mb\": 0}", MongodbLimits.class))
                .hasMessageContaining("storage_mb must be at least 1");
    }
}
