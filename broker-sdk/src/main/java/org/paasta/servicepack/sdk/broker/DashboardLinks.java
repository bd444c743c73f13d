package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.state.InstanceRecord;

/**
 * The {@code dashboard_url} the SDK answers for an instance whose backend has no dashboard of its
 * own ({@code ServiceBackend.dashboardUrl} returned null). Computed for each response, never
 * stored: the link carries a bearer token that expires, so a platform that asks again (GET
 * instance, an update) gets a fresh one, and a copy of the state store holds no working links.
 */
@FunctionalInterface
public interface DashboardLinks {
    /** No SDK dashboard: instances carry only what their backend returned. */
    DashboardLinks NONE = instance -> null;

    /** The link for this instance now, or null when there is none. */
    String linkFor(InstanceRecord instance);
}
