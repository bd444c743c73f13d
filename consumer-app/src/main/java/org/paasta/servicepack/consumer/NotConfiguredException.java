package org.paasta.servicepack.consumer;

/**
 * java-cfenv set no connection property for a bound service. Checked before any client is used:
 * Spring Boot's defaults point at localhost:6379 and localhost:5672 (guest), where a developer's
 * own servers may answer, and a check passing there would prove nothing about the binding.
 */
final class NotConfiguredException extends Exception {
    NotConfiguredException(String property) {
        super("java-cfenv did not set " + property + " from the binding; refusing Spring Boot's localhost default");
    }
}
