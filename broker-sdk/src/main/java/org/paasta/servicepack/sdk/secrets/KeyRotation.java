package org.paasta.servicepack.sdk.secrets;

import java.util.List;
import org.paasta.servicepack.sdk.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * After a rotation of {@code servicepack.secrets.key} (the old key in
 * {@code servicepack.secrets.previous-keys}), seals every stored secret again under the new key,
 * once, in the background after start: the SDK's binding credentials, then each broker's own
 * ({@link SealedSecrets}). The log says when nothing is left under an old key, which is when the
 * operator may drop it. Every replica may do it; each value is sealed under the same new key.
 */
public final class KeyRotation implements ApplicationListener<ApplicationReadyEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private final SecretBox secrets;
    private final StateStore store;
    private final List<SealedSecrets> brokerSecrets;
    private final boolean rotating;

    public KeyRotation(SecretBox secrets, StateStore store, List<SealedSecrets> brokerSecrets, boolean rotating) {
        this.secrets = secrets;
        this.store = store;
        this.brokerSecrets = brokerSecrets;
        this.rotating = rotating;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!rotating) {
            return;
        }
        Thread thread = new Thread(this::resealAll, "servicepack-key-rotation");
        thread.setDaemon(true);
        thread.start();
    }

    /** Seals everything again under the current key; returns how many values changed. */
    public int resealAll() {
        try {
            int resealed = store.resealCredentials(secrets::reseal);
            for (SealedSecrets broker : brokerSecrets) {
                resealed += broker.reseal(secrets::reseal);
            }
            LOG.info("secrets key rotation: {} stored secrets sealed again under servicepack.secrets.key; none is "
                    + "left under a previous key, so servicepack.secrets.previous-keys can be removed", resealed);
            return resealed;
        } catch (RuntimeException e) {
            LOG.warn("secrets key rotation did not finish ({}); it runs again at the next start",
                    e.getClass().getSimpleName());
            return -1;
        }
    }
}
