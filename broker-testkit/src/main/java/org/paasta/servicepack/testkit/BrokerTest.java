package org.paasta.servicepack.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Starts the broker of the test's module on a random port, with test credentials and a fresh
 * in-memory state store, and hands out an {@link OsbClient} pointed at it (as a test method
 * parameter, or from {@link BrokerContractTest#client()}):
 *
 * <pre>{@code
 * @BrokerTest
 * class CubridBrokerContractTest extends BrokerContractTest { ... }
 *
 * @BrokerTest
 * class CubridBrokerTest {
 *     @Test
 *     void something(OsbClient broker) { broker.provision(...); }
 * }
 * }</pre>
 *
 * Further settings come the Spring way: {@code @TestPropertySource}, {@code @DynamicPropertySource},
 * {@code @ActiveProfiles}. Tests whose settings are equal share one running broker (Spring's
 * test context cache), and so one store; use fresh ids ({@link Catalog#newId()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "servicepack.security.username=" + BrokerTest.USERNAME,
        "servicepack.security.password=" + BrokerTest.PASSWORD,
        "servicepack.secrets.key=" + BrokerTest.SECRETS_KEY,
        "servicepack.store.url=jdbc:h2:mem:broker-test-${random.uuid};DB_CLOSE_DELAY=-1"})
@ExtendWith(OsbClientResolver.class)
public @interface BrokerTest {
    /** The test broker's basic auth user. */
    String USERNAME = "broker";
    /** The test broker's basic auth password (a test value, never a real one). */
    String PASSWORD = "test-broker-password-0123456789";
    /** The test broker's secrets key (a test value, never a real one). */
    String SECRETS_KEY = "test-secrets-key-0123456789abcdef";
}
