package org.paasta.servicepack.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * The baseline: Spring Cloud Open Service Broker 4.1.0 as it comes, serving the same catalog file
 * as the measured broker, with services that do nothing. No auth, no state, no validation beyond
 * SCOSB's own: whatever a broker costs above this is the price of what it adds. Runs on Spring MVC
 * (default) or WebFlux ({@code --spring.main.web-application-type=reactive}).
 */
// The MongoDB driver is on this class path only for the benchmark's own MongoDB floor: without the
// exclusion Spring Boot would give the baseline a MongoClient that keeps dialling localhost:27017.
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration")
public class BareScosbApplication {
    public static void main(String[] args) {
        SpringApplication.run(BareScosbApplication.class, args);
    }

    /** The catalog file with the servicepack-only {@code limits} removed, read as SCOSB's own model. */
    @Bean
    Catalog catalog(org.springframework.core.env.Environment environment) throws IOException {
        String file = environment.getProperty("bench.catalog", "catalog/mysql.yml");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (InputStream in = BareScosbApplication.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is not on the class path");
            }
            JsonNode root = yaml.readTree(in);
            for (JsonNode service : root.path("services")) {
                for (JsonNode plan : service.path("plans")) {
                    ((ObjectNode) plan).remove("limits");
                }
            }
            return yaml.treeToValue(root, Catalog.class);
        }
    }

    @Bean
    ServiceInstanceService noOpInstances() {
        return new ServiceInstanceService() {
            @Override
            public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
                return Mono.just(CreateServiceInstanceResponse.builder().build());
            }

            @Override
            public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
                return Mono.just(DeleteServiceInstanceResponse.builder().build());
            }

            @Override
            public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
                return Mono.just(GetLastServiceOperationResponse.builder().operationState(OperationState.SUCCEEDED)
                        .build());
            }
        };
    }

    @Bean
    ServiceInstanceBindingService noOpBindings() {
        return new ServiceInstanceBindingService() {
            @Override
            public Mono<CreateServiceInstanceBindingResponse> createServiceInstanceBinding(
                    CreateServiceInstanceBindingRequest request) {
                return Mono.just(CreateServiceInstanceAppBindingResponse.builder()
                        .credentials(Map.of("username", "u", "password", "p")).build());
            }

            @Override
            public Mono<DeleteServiceInstanceBindingResponse> deleteServiceInstanceBinding(
                    DeleteServiceInstanceBindingRequest request) {
                return Mono.just(DeleteServiceInstanceBindingResponse.builder().build());
            }
        };
    }
}
