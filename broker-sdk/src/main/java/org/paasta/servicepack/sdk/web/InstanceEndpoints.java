package org.paasta.servicepack.sdk.web;

import java.util.Map;
import org.paasta.servicepack.sdk.broker.Commands;
import org.paasta.servicepack.sdk.broker.Outcome;
import org.paasta.servicepack.sdk.broker.ServiceBroker;
import org.paasta.servicepack.sdk.broker.Views;
import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import reactor.core.publisher.Mono;

/**
 * SCOSB's instance controller calls this; it translates to the blocking {@link ServiceBroker}.
 * Work runs eagerly on the request thread (SCOSB subscribes there), which keeps request-scoped
 * state such as {@link ResponseExtras} available and spares a thread hop.
 */
public final class InstanceEndpoints implements ServiceInstanceService {
    private final ServiceBroker<?> broker;

    public InstanceEndpoints(ServiceBroker<?> broker) {
        this.broker = broker;
    }

    @Override
    public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
        try {
            Outcome outcome = broker.provision(new Commands.Provision(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.getParameters(),
                    version(request.getMaintenanceInfo()), request.isAsyncAccepted(),
                    Origins.of(request, request.getContext())));
            return Mono.just(CreateServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .instanceExisted(outcome.kind() == Outcome.Kind.EXISTED)
                    .dashboardUrl(outcome.dashboardUrl())
                    .build());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    @Override
    public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
        try {
            Outcome outcome = broker.update(new Commands.Update(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.getParameters(),
                    version(request.getMaintenanceInfo()), request.isAsyncAccepted(),
                    Origins.of(request, request.getContext())));
            return Mono.just(UpdateServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .build());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    @Override
    public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
        try {
            Outcome outcome = broker.deprovision(new Commands.Deprovision(request.getServiceInstanceId(),
                    request.getServiceDefinitionId(), request.getPlanId(), request.isAsyncAccepted(),
                    Origins.of(request, null)));
            return Mono.just(DeleteServiceInstanceResponse.builder()
                    .async(outcome.kind() == Outcome.Kind.ACCEPTED)
                    .operation(outcome.operation())
                    .build());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    @Override
    public Mono<GetServiceInstanceResponse> getServiceInstance(GetServiceInstanceRequest request) {
        try {
            Views.Instance instance = broker.instance(request.getServiceInstanceId());
            if (instance.maintenanceVersion() != null) {
                ResponseExtras.put("maintenance_info", instance.maintenanceDescription() == null
                        ? Map.of("version", instance.maintenanceVersion())
                        : Map.of("version", instance.maintenanceVersion(),
                        "description", instance.maintenanceDescription()));
            }
            return Mono.just(GetServiceInstanceResponse.builder()
                    .serviceDefinitionId(instance.serviceId())
                    .planId(instance.planId())
                    .dashboardUrl(instance.dashboardUrl())
                    .parameters(instance.parameters())
                    .build());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    @Override
    public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
        try {
            Views.LastOperation last = broker.lastInstanceOperation(request.getServiceInstanceId(),
                    request.getOperation());
            GetLastServiceOperationResponse.GetLastServiceOperationResponseBuilder response =
                    GetLastServiceOperationResponse.builder()
                            .operationState(OperationState.valueOf(last.status().name()))
                            .description(last.description())
                            .deleteOperation(last.gone());
            if (last.instanceUsable() != null) {
                response.instanceUsable(last.instanceUsable());
            }
            if (last.updateRepeatable() != null) {
                response.updateRepeatable(last.updateRepeatable());
            }
            return Mono.just(response.build());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    private static String version(MaintenanceInfo info) {
        return info == null ? null : info.getVersion();
    }
}
