package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceNamesTest {

    @Test
    void aGuidIsKeptReadableAfterItsPrefix() {
        assertThat(ResourceNames.vhost("564da46b-e087-479f-ab63-5cf2aae0d098"))
                .isEqualTo("si-564da46b-e087-479f-ab63-5cf2aae0d098");
        assertThat(ResourceNames.user("CE294862-03CC-4F4E-A6A8-69CB36E4F96E"))
                .isEqualTo("sb-CE294862-03CC-4F4E-A6A8-69CB36E4F96E");
    }

    @Test
    void anyOtherIdIsHashedIntoAUrlSafeName() {
        String vhost = ResourceNames.vhost("org/space: my queue%2F");
        assertThat(vhost).matches("si_[0-9a-f]{40}");
        assertThat(ResourceNames.vhost("org/space: my queue%2F")).as("stable").isEqualTo(vhost);
        assertThat(ResourceNames.vhost("a".repeat(65))).matches("si_[0-9a-f]{40}");
        assertThat(ResourceNames.user("binding_1")).matches("sb_[0-9a-f]{40}");
    }

    @Test
    void theTwoFormsCannotCollide() {
        // An id that looks like a hashed name is itself hashed ('_' is not in the plain alphabet).
        String hashed = ResourceNames.vhost("x y");
        String lookalike = hashed.substring(3);
        assertThat(ResourceNames.vhost(lookalike)).isNotEqualTo(hashed);
        assertThat(ResourceNames.vhost("_" + lookalike)).isNotEqualTo(hashed);
    }

    @Test
    void bindingUsersAreRecognisedByTheirPrefix() {
        assertThat(ResourceNames.isBindingUser(ResourceNames.user("b1"))).isTrue();
        assertThat(ResourceNames.isBindingUser(ResourceNames.user("b 1"))).isTrue();
        assertThat(ResourceNames.isBindingUser("guest")).isFalse();
        assertThat(ResourceNames.isBindingUser("sbadmin")).isFalse();
    }
}
