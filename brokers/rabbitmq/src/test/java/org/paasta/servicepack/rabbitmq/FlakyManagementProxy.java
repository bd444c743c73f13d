package org.paasta.servicepack.rabbitmq;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;

/**
 * Forwards to the machine's real management API, except the requests a test tells it to refuse
 * (503, as a management node going away would answer): so a broker operation can fail half-way
 * against a real RabbitMQ.
 */
final class FlakyManagementProxy implements AutoCloseable {
    private static final List<String> HOP_BY_HOP = List.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "http2-settings", "expect", "keep-alive");
    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile BiPredicate<String, String> refused = (method, path) -> false;

    FlakyManagementProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Refuse requests whose method and path match, until {@link #heal()}. */
    void refuse(BiPredicate<String, String> methodAndPath) {
        refused = methodAndPath;
    }

    void heal() {
        refused = (method, path) -> false;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (refused.test(method, path)) {
                send(exchange, 503, "{\"error\":\"unavailable\",\"reason\":\"node going away\"}".getBytes(
                        StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            LocalRabbitmq.MANAGEMENT.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().firstValue("content-type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            send(exchange, response.statusCode(), response.body());
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
