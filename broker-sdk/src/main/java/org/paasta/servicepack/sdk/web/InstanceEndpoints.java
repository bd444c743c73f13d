package org.paasta.servicepack.sdk.web;

import java.util.Map;
import org.paasta.servicepack.sdk.broker.Admission;
import org.paasta.servicepack.sdk.broker.Commands;
import org.paasta.servicepack.sdk.broker.OsbQueries;
import org.paasta.servicepack.sdk.broker.Outcome;
import org.paasta.servicepack.sdk.broker.Views;
import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import reactor.core.publisher.Mono;

/**
 * SCOSB's instance controller calls this; it translates to the blocking {@link Admission} and {@link OsbQueries}.
 * (last_operation never reaches SCOSB: {@link LastOperationEndpoint} answers it.)
 * Work runs eagerly on the request thread (SCOSB subscribes there), which keeps request-scoped
 * state such as {@link ResponseExtras} available and spares a thread hop.
 */
public final class InstanceEndpoints implements ServiceInstanceService {
    private final Admission<?> admission;
    private final OsbQueries queries;

    public InstanceEndpoints(Admission<?> admission, OsbQueries queries) {
        this.admission = admission;
        this.queries = queries;
    }

    @Override
    public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
        return Eager.mono(() -> {
            Outcome outcome = admission.provision(new Commands.Provision(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.getOrganizationGuid(),
                    request.getSpaceGuid(), request.getParameters(), version(request.getMaintenanceInfo()),
                    request.isAsyncAccepted(), Origins.of(request, request.getContext())));
            return CreateServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .instanceExisted(outcome.kind() == Outcome.Kind.EXISTED)
                    .dashboardUrl(outcome.dashboardUrl())
                    .build();
        });
    }

    @Override
    public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
        return Eager.mono(() -> {
            Outcome outcome = admission.update(new Commands.Update(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.getParameters(),
                    version(request.getMaintenanceInfo()), request.isAsyncAccepted(),
                    Origins.of(request, request.getContext())));
            return UpdateServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .dashboardUrl(outcome.dashboardUrl())
                    .build();
        });
    }

    @Override
    public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
        return Eager.mono(() -> {
            Outcome outcome = admission.deprovision(new Commands.Deprovision(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.isAsyncAccepted(),
                    Origins.of(request, null)));
            return DeleteServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .build();
        });
    }

    @Override
    public Mono<GetServiceInstanceResponse> getServiceInstance(GetServiceInstanceRequest request) {
        return Eager.mono(() -> {
            Views.Instance instance = queries.instance(request.getServiceInstanceId());
            if (instance.maintenanceVersion() != null) {
                ResponseExtras.put("maintenance_info", instance.maintenanceDescription() == null
                        ? Map.of("version", instance.maintenanceVersion())
                        : Map.of("version", instance.maintenanceVersion(),
                        "description", instance.maintenanceDescription()));
            }
            return GetServiceInstanceResponse.builder()
                    .serviceDefinitionId(instance.serviceId())
                    .planId(instance.planId())
                    .dashboardUrl(instance.dashboardUrl())
                    .parameters(instance.parameters())
                    .build();
        });
    }

    private static String version(MaintenanceInfo info) {
        return info == null ? null : info.getVersion();
    }
}
