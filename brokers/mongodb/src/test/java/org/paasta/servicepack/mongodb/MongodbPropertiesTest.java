package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** {@code servicepack.mongodb.*} as an operator writes it, bound as Spring Boot binds it. */
class MongodbPropertiesTest {

    @Test
    void aReplicaSetWhoseAppsUseOtherNames() {
        MongodbProperties properties = bind(Map.of(
                "servicepack.mongodb.uri", "mongodb://broker:s3cret@10.0.0.5:27017,10.0.0.6/admin?replicaSet=rs0",
                "servicepack.mongodb.hosts", "mongo.apps.internal, mongo2.apps.internal:27100"));

        assertThat(properties.clientAddress().hosts())
                .containsExactly("mongo.apps.internal:27017", "mongo2.apps.internal:27100");
        assertThat(properties.clientAddress().replicaSet()).isEqualTo("rs0");
        assertThat(properties.adminUri().getHosts()).containsExactly("10.0.0.5:27017", "10.0.0.6");
        assertThat(properties.toString()).doesNotContain("s3cret");
    }

    @Test
    void noUriIsAMissingSettingNamingItsVariable() {
        assertThat(variablesOf(catchThrowable(() -> bind(Map.of("servicepack.mongodb.uri", " ")))))
                .isEqualTo("MONGODB_ADMIN_URI");
    }

    @Test
    void anInvalidUriIsAMissingSettingThatDoesNotQuoteIt() {
        Throwable invalid = catchThrowable(() -> bind(Map.of("servicepack.mongodb.uri",
                "mysql://broker:s3cret@db1:3306/admin")));
        assertThat(variablesOf(invalid)).isEqualTo("MONGODB_ADMIN_URI");
        assertThat(rootCause(invalid).getMessage()).contains("a valid connection string").doesNotContain("s3cret");
    }

    @Test
    void anSrvUriTakesOneHostForApplicationsAtMost() {
        assertThat(variablesOf(catchThrowable(() -> bind(Map.of(
                "servicepack.mongodb.uri", "mongodb+srv://broker:s3cret@cluster0.example.net/admin",
                "servicepack.mongodb.hosts", "a.example.net,b.example.net")))))
                .isEqualTo("SERVICEPACK_MONGODB_HOSTS");
    }

    /** Cloud Foundry hands the port over in PORT; the state file is named after the broker. */
    @Test
    void applicationYmlTakesThePortFromPortAndNamesTheBroker() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("platform", Map.of("PORT", "61002")));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);

        assertThat(environment.getProperty("server.port")).isEqualTo("61002");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("mongodb-broker");
        environment.getPropertySources().remove("platform");
        assertThat(environment.getProperty("server.port")).isEqualTo("8080");
    }

    private static String variablesOf(Throwable failure) {
        assertThat(rootCause(failure)).isInstanceOf(MissingSettingException.class);
        return String.join(",", ((MissingSettingException) rootCause(failure)).settings().stream()
                .map(MissingSettingException.Setting::variable).toList());
    }

    private static Throwable rootCause(Throwable failure) {
        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static MongodbProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("servicepack.mongodb", MongodbProperties.class);
    }
}
