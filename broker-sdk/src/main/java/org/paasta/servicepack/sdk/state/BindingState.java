package org.paasta.servicepack.sdk.state;

/** Life cycle of a binding row; see {@link InstanceState} for why the state is also the lock. */
public enum BindingState {
    BINDING,
    READY,
    UNBINDING,
    /** Binding failed; the platform will unbind (orphan mitigation) or bind again. */
    FAILED
}
