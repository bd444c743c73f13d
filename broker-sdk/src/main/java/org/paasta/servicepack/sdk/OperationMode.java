package org.paasta.servicepack.sdk;

/** How the SDK runs one kind of backend operation; see {@link ServiceBackend#mode}. */
public enum OperationMode {
    SYNC,
    ASYNC_WHEN_ACCEPTED,
    ASYNC_ONLY
}
