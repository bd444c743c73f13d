package org.paasta.servicepack.sdk.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.broker.Admission;
import org.paasta.servicepack.sdk.broker.Commands;
import org.paasta.servicepack.sdk.broker.OsbQueries;
import org.paasta.servicepack.sdk.broker.Outcome;
import org.paasta.servicepack.sdk.broker.Views;
import org.springframework.cloud.servicebroker.model.binding.BindingMetadata;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import reactor.core.publisher.Mono;

/** SCOSB's binding controller calls this; see {@link InstanceEndpoints} for the threading. */
public final class BindingEndpoints implements ServiceInstanceBindingService {
    private final Admission<?> admission;
    private final OsbQueries queries;

    public BindingEndpoints(Admission<?> admission, OsbQueries queries) {
        this.admission = admission;
        this.queries = queries;
    }

    @Override
    public Mono<CreateServiceInstanceBindingResponse> createServiceInstanceBinding(
            CreateServiceInstanceBindingRequest request) {
        return Eager.mono(() -> {
            String appGuid = request.getBindResource() == null ? null : request.getBindResource().getAppGuid();
            Outcome outcome = admission.bind(new Commands.Bind(request.getServiceInstanceId(), request.getBindingId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.getParameters(), appGuid,
                    PredecessorCapture.current(), request.isAsyncAccepted(), Origins.of(request, request.getContext())));
            CreateServiceInstanceAppBindingResponse.CreateServiceInstanceAppBindingResponseBuilder response =
                    CreateServiceInstanceAppBindingResponse.builder()
                            .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                            .operation(outcome.operation())
                            .bindingExisted(outcome.kind() == Outcome.Kind.EXISTED);
            if (outcome.credentials() != null) {
                response.credentials(redacted(outcome.credentials()));
                response.metadata(metadata(outcome.expiresAt(), outcome.renewBefore()));
            }
            return response.build();
        });
    }

    @Override
    public Mono<GetServiceInstanceBindingResponse> getServiceInstanceBinding(GetServiceInstanceBindingRequest request) {
        return Eager.mono(() -> {
            Views.Binding binding = queries.binding(request.getServiceInstanceId(), request.getBindingId());
            return GetServiceInstanceAppBindingResponse.builder()
                    .credentials(redacted(binding.credentials()))
                    .parameters(binding.parameters())
                    .metadata(metadata(binding.expiresAt(), binding.renewBefore()))
                    .build();
        });
    }

    @Override
    public Mono<DeleteServiceInstanceBindingResponse> deleteServiceInstanceBinding(
            DeleteServiceInstanceBindingRequest request) {
        return Eager.mono(() -> {
            Outcome outcome = admission.unbind(new Commands.Unbind(request.getServiceInstanceId(), request.getBindingId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.isAsyncAccepted(),
                    Origins.of(request, null)));
            return DeleteServiceInstanceBindingResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .build();
        });
    }

    private static Map<String, Object> redacted(Credentials credentials) {
        // SCOSB keeps credentials in a HashMap; the response keeps the backend's field order.
        ResponseExtras.put("credentials", credentials.asMap());
        Map<String, Object> values = new LinkedHashMap<>();
        credentials.asMap().forEach((field, value) -> values.put(field, new Redacted(value)));
        return values;
    }

    private static BindingMetadata metadata(Long expiresAt, Long renewBefore) {
        if (expiresAt == null) {
            return null;
        }
        ResponseExtras.put("metadata.renew_before", Instant.ofEpochMilli(renewBefore).toString());
        return BindingMetadata.builder().expiresAt(Instant.ofEpochMilli(expiresAt).toString()).build();
    }
}
