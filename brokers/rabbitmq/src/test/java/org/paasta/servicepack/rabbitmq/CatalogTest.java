package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;

/** The catalog this broker ships with, as the SDK reads it, and its limits bound to our type. */
class CatalogTest {
    @Test
    void keepsPaastaIdsAndBindsTheLimits() throws Exception {
        CatalogPlan plan = LocalRabbitmq.catalogPlan();

        // The ids PaaS-TA platforms registered (paas-ta-compatibility.md). Tests name the service and
        // plan by their names everywhere else; this is the one place that says the ids never change.
        assertThat(plan.serviceId()).isEqualTo("568725FD-AD46-44CA-9853-621416E983A4");
        assertThat(plan.id()).isEqualTo("22F0B28C-B886-4123-B01B-95E54D3DE6DA");

        RabbitmqLimits limits = new ObjectMapper().treeToValue(plan.limits(), RabbitmqLimits.class);
        assertThat(limits.maxQueues()).isEqualTo(100);
        assertThat(limits.maxConnections()).isEqualTo(100);
        assertThat(limits.bindingUserTags()).isEmpty();
    }
}
