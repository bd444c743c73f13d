package org.paasta.servicepack.sdk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.broker.ApiVersionMissingException;
import org.paasta.servicepack.sdk.broker.ApiVersionUnsupportedException;
import org.paasta.servicepack.sdk.broker.AsyncRequiredException;
import org.paasta.servicepack.sdk.broker.BadRequestException;
import org.paasta.servicepack.sdk.broker.BindingConflictException;
import org.paasta.servicepack.sdk.broker.BindingNotFoundException;
import org.paasta.servicepack.sdk.broker.ConcurrencyException;
import org.paasta.servicepack.sdk.broker.InstanceConflictException;
import org.paasta.servicepack.sdk.broker.InstanceNotFoundException;
import org.paasta.servicepack.sdk.broker.MaintenanceInfoConflictException;
import org.paasta.servicepack.sdk.broker.NotReadyException;
import org.paasta.servicepack.sdk.broker.UnauthorizedException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionDoesNotExistException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/** The endpoint x failure -> status table, as the OSB v2.17 spec has it, row by row. */
class ErrorTableTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(new InstanceNotFoundException("x"), OsbEndpoint.INSTANCE_LAST_OPERATION, 404, "NotFound"),
                Arguments.of(new InstanceNotFoundException("x"), OsbEndpoint.FETCH_INSTANCE, 404, "NotFound"),
                Arguments.of(new InstanceNotFoundException("x"), OsbEndpoint.DEPROVISION, 410, null),
                Arguments.of(new InstanceNotFoundException("x"), OsbEndpoint.UNBIND, 410, null),
                Arguments.of(new InstanceNotFoundException("x"), OsbEndpoint.BIND, 404, "NotFound"),
                Arguments.of(new BindingNotFoundException("x"), OsbEndpoint.BINDING_LAST_OPERATION, 404, "NotFound"),
                Arguments.of(new BindingNotFoundException("x"), OsbEndpoint.FETCH_BINDING, 404, "NotFound"),
                Arguments.of(new BindingNotFoundException("x"), OsbEndpoint.UNBIND, 410, null),
                Arguments.of(new NotReadyException("x"), OsbEndpoint.FETCH_INSTANCE, 404, "NotFound"),
                Arguments.of(new InstanceConflictException("x"), OsbEndpoint.PROVISION, 409, "Conflict"),
                Arguments.of(new BindingConflictException("x"), OsbEndpoint.BIND, 409, "Conflict"),
                Arguments.of(new ConcurrencyException("x"), OsbEndpoint.DEPROVISION, 422, "ConcurrencyError"),
                Arguments.of(new ConcurrencyException("x"), OsbEndpoint.FETCH_INSTANCE, 422, "ConcurrencyError"),
                Arguments.of(new AsyncRequiredException("x"), OsbEndpoint.PROVISION, 422, "AsyncRequired"),
                Arguments.of(new MaintenanceInfoConflictException("x"), OsbEndpoint.UPDATE, 422, "MaintenanceInfoConflict"),
                Arguments.of(new PlanChangeRefusedException("x"), OsbEndpoint.UPDATE, 422, "PlanChangeNotSupported"),
                Arguments.of(new CapacityExhaustedException("x"), OsbEndpoint.PROVISION, 507, "CapacityExhausted"),
                Arguments.of(new CapacityExhaustedException("x"), OsbEndpoint.BIND, 422, "CapacityExhausted"),
                Arguments.of(new InvalidParametersException("x"), OsbEndpoint.BIND, 400, "InvalidParameters"),
                Arguments.of(new BadRequestException("x"), OsbEndpoint.PROVISION, 400, "BadRequest"),
                Arguments.of(new ServiceDefinitionDoesNotExistException("x"), OsbEndpoint.PROVISION, 400, "BadRequest"),
                Arguments.of(new HttpMessageNotReadableException("x", (org.springframework.http.HttpInputMessage) null),
                        OsbEndpoint.BIND, 400, "BadRequest"),
                Arguments.of(new java.io.EOFException("x"), OsbEndpoint.PROVISION, 400, "BadRequest"),
                Arguments.of(new org.apache.catalina.connector.ClientAbortException("x"), OsbEndpoint.BIND, 400,
                        "BadRequest"),
                Arguments.of(new UnauthorizedException("x"), OsbEndpoint.CATALOG, 401, "Unauthorized"),
                Arguments.of(new ApiVersionMissingException("x"), OsbEndpoint.CATALOG, 400, "MissingApiVersion"),
                Arguments.of(new ApiVersionUnsupportedException("x"), OsbEndpoint.BIND, 412, "UnsupportedApiVersion"),
                Arguments.of(new BackendUnavailableException("x", null), OsbEndpoint.PROVISION, 503, "BackendUnavailable"),
                Arguments.of(new org.springframework.jdbc.CannotGetJdbcConnectionException("secret text"),
                        OsbEndpoint.PROVISION, 503, "ServiceUnavailable"),
                Arguments.of(new org.springframework.dao.RecoverableDataAccessException("secret text"),
                        OsbEndpoint.INSTANCE_LAST_OPERATION, 503, "ServiceUnavailable"),
                Arguments.of(new org.springframework.dao.TransientDataAccessResourceException("secret text"),
                        OsbEndpoint.BIND, 503, "ServiceUnavailable"),
                Arguments.of(new IllegalStateException("secret text"), OsbEndpoint.PROVISION, 500, "InternalError"));
    }

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @MethodSource("rows")
    void mapsEveryFailureOnce(Exception failure, OsbEndpoint endpoint, int status, String code) {
        OsbError error = ErrorTable.lookup(failure, endpoint);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        var body = ErrorTable.body(failure, endpoint, "req-9");
        if (code == null) {
            assertThat(body).as("410 Gone has the spec's empty body").isEmpty();
        } else {
            assertThat(body).containsEntry("error", code).containsKey("description");
            assertThat(body.get("description").toString()).doesNotContain("secret text");
        }
    }

    @ParameterizedTest(name = "container status {0} -> {1} {2}")
    @MethodSource("containerStatuses")
    void mapsWhatTheContainerAnswersItself(int containerStatus, int status, String code) {
        OsbError error = ErrorTable.forStatus(containerStatus);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(ErrorTable.bodyForStatus(containerStatus)).containsEntry("error", code)
                .hasEntrySatisfying("description", d -> assertThat(d.toString()).isNotBlank());
    }

    static Stream<Arguments> containerStatuses() {
        return Stream.of(
                Arguments.of(400, 400, "BadRequest"),
                Arguments.of(404, 404, "NotFound"),
                Arguments.of(405, 405, "MethodNotAllowed"),
                Arguments.of(413, 413, "PayloadTooLarge"),
                Arguments.of(417, 417, "ExpectationFailed"),
                Arguments.of(418, 418, "BadRequest"),
                Arguments.of(431, 431, "RequestHeaderFieldsTooLarge"),
                Arguments.of(501, 400, "BadRequest"),
                Arguments.of(505, 400, "BadRequest"),
                Arguments.of(500, 500, "InternalError"),
                Arguments.of(503, 503, "ServiceUnavailable"));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void recognisesEndpointsUnderAnyPrefix(String method, String path, OsbEndpoint expected) {
        assertThat(OsbEndpoint.of(method, path)).isEqualTo(expected);
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("GET", "/v2/catalog", OsbEndpoint.CATALOG),
                Arguments.of("GET", "/broker/v2/catalog", OsbEndpoint.CATALOG),
                Arguments.of("PUT", "/v2/service_instances/a", OsbEndpoint.PROVISION),
                Arguments.of("PATCH", "/p/v2/service_instances/a", OsbEndpoint.UPDATE),
                Arguments.of("DELETE", "/v2/service_instances/a", OsbEndpoint.DEPROVISION),
                Arguments.of("GET", "/v2/service_instances/a/last_operation", OsbEndpoint.INSTANCE_LAST_OPERATION),
                Arguments.of("PUT", "/v2/service_instances/a/service_bindings/b", OsbEndpoint.BIND),
                Arguments.of("GET", "/v2/service_instances/a/service_bindings/b", OsbEndpoint.FETCH_BINDING),
                Arguments.of("DELETE", "/v2/service_instances/a/service_bindings/b", OsbEndpoint.UNBIND),
                Arguments.of("GET", "/v2/service_instances/a/service_bindings/b/last_operation",
                        OsbEndpoint.BINDING_LAST_OPERATION),
                Arguments.of("HEAD", "/v2/service_instances/a/service_bindings/b/last_operation",
                        OsbEndpoint.BINDING_LAST_OPERATION),
                Arguments.of("POST", "/v2/service_instances/a", OsbEndpoint.UNKNOWN));
    }
}
