package org.paasta.servicepack.sdk.secrets;

import java.util.function.UnaryOperator;

/**
 * Secrets a broker keeps sealed in tables of its own (e.g. admin passwords of the processes it
 * runs). When the secrets key is rotated the SDK calls every bean of this type once at start,
 * after its own binding credentials, to seal them again under the new key.
 */
public interface SealedSecrets {

    /**
     * Applies {@code reseal} to every sealed value and stores what it returns where it changed.
     *
     * @return how many values were sealed again
     */
    int reseal(UnaryOperator<String> reseal);
}
