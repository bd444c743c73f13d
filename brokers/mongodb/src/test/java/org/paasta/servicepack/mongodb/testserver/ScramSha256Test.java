package org.paasta.servicepack.mongodb.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.AuthenticationFailed;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.ServerConversation;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.StoredCredential;

/** The test double's SCRAM-SHA-256 server against the example exchange of RFC 7677, section 3. */
class ScramSha256Test {
    private static final StoredCredential PENCIL =
            ScramSha256.store("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
    private static final String SERVER_NONCE_PART = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    private ServerConversation conversation() {
        return new ServerConversation(name -> name.equals("user") ? PENCIL : null, () -> SERVER_NONCE_PART);
    }

    @Test
    void answersTheRfc7677ExampleExchange() throws Exception {
        ServerConversation conversation = conversation();

        assertThat(conversation.clientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))
                .isEqualTo("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(conversation.clientFinal(CLIENT_FINAL))
                .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(conversation.username()).isEqualTo("user");
    }

    @Test
    void refusesAWrongProof() throws Exception {
        ServerConversation conversation = conversation();
        conversation.clientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");

        String tampered = CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertThatThrownBy(() -> conversation.clientFinal(tampered)).isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void refusesAProofForAnotherNonce() throws Exception {
        ServerConversation conversation = conversation();
        conversation.clientFirst("n,,n=user,r=anotherClientNonce");

        assertThatThrownBy(() -> conversation.clientFinal(CLIENT_FINAL)).isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void refusesAnUnknownUserAndChannelBinding() {
        assertThatThrownBy(() -> conversation().clientFirst("n,,n=nobody,r=abc"))
                .isInstanceOf(AuthenticationFailed.class);
        assertThatThrownBy(() -> conversation().clientFirst("p=tls-unique,,n=user,r=abc"))
                .isInstanceOf(AuthenticationFailed.class);
    }
}
