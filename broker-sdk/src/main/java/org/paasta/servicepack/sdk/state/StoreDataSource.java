package org.paasta.servicepack.sdk.state;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the state store's DataSource. It is not a default candidate, so a plain
 * {@code DataSource} injection point, Spring Boot's JDBC auto-configuration and a broker's own pool
 * never see it; a broker that keeps tables of its own in the store asks for it with this annotation.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface StoreDataSource {
}
