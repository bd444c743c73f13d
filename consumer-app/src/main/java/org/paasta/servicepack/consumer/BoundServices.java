package org.paasta.servicepack.consumer;

import io.pivotal.cfenv.core.CfEnv;
import io.pivotal.cfenv.core.CfService;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What VCAP_SERVICES binds this app to, by kind: read with java-cfenv, as the app's clients are configured. */
record BoundServices(Map<ServiceKind, List<CfService>> byKind) {

    static BoundServices fromEnvironment() {
        return of(new CfEnv().findAllServices());
    }

    static BoundServices of(List<CfService> services) {
        Map<ServiceKind, List<CfService>> byKind = new EnumMap<>(ServiceKind.class);
        for (CfService service : services) {
            for (ServiceKind kind : ServiceKind.values()) {
                if (kind.matches(service.getTags())) {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(service);
                    break;
                }
            }
        }
        return new BoundServices(byKind);
    }

    List<CfService> all() {
        return byKind.values().stream().flatMap(List::stream).toList();
    }
}
