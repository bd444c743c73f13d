package org.paasta.servicepack.sdk.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Consumer;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.cloud.servicebroker.model.catalog.ServiceDefinition;
import org.springframework.cloud.servicebroker.service.CatalogService;
import reactor.core.publisher.Mono;

/**
 * SCOSB's view of the one {@link ServiceCatalog}: its controllers look services up here before they
 * call the SDK. An unknown {@code service_id} is refused by {@code unknownService}, the same check
 * and text the SDK uses everywhere else (SCOSB would otherwise answer with a text of its own).
 */
public final class ScosbCatalog implements CatalogService {
    private final Catalog catalog;
    private final Consumer<String> unknownService;

    public ScosbCatalog(ServiceCatalog catalog, ObjectMapper json, Consumer<String> unknownService) {
        ObjectMapper lenient = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.catalog = lenient.convertValue(catalog.body(), Catalog.class);
        this.unknownService = unknownService;
    }

    @Override
    public Mono<Catalog> getCatalog() {
        return Mono.just(catalog);
    }

    @Override
    public Mono<ServiceDefinition> getServiceDefinition(String serviceId) {
        for (ServiceDefinition service : catalog.getServiceDefinitions()) {
            if (service.getId().equals(serviceId)) {
                return Mono.just(service);
            }
        }
        return Mono.fromRunnable(() -> unknownService.accept(serviceId));
    }
}
