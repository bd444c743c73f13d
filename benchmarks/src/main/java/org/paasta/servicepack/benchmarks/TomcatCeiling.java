package org.paasta.servicepack.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * The polling targets' ceiling: the embedded Tomcat every server here runs on, with one servlet
 * that writes bytes it holds ready and does nothing else (no Spring, no filter chain, no
 * authentication, no lookup). The most requests per second any servlet application answers on
 * this machine, under this load driver; a polling target above it cannot be met on Tomcat.
 *
 * <p>{@code java ... TomcatCeiling --server.port=N --catalog=FILE}: GET .../last_operation gets a
 * succeeded state, any other request the catalog file's bytes (the broker's own catalog answer).
 */
public final class TomcatCeiling {
    private TomcatCeiling() {
    }

    public static void main(String[] args) throws IOException, LifecycleException {
        int port = 0;
        byte[] catalog = null;
        for (String arg : args) {
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            } else if (arg.startsWith("--catalog=")) {
                catalog = Files.readAllBytes(Path.of(arg.substring("--catalog=".length())));
            }
        }
        if (port == 0 || catalog == null) {
            throw new IllegalArgumentException("usage: TomcatCeiling --server.port=N --catalog=FILE");
        }
        byte[] lastOperation = "{\"state\":\"succeeded\",\"description\":\"\"}".getBytes(StandardCharsets.UTF_8);
        byte[] catalogBytes = catalog;
        Tomcat tomcat = new Tomcat();
        // In the working directory the benchmark gives each server, which it removes after the run.
        tomcat.setBaseDir(Path.of("tomcat").toAbsolutePath().toString());
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "fixed", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] body = request.getRequestURI().endsWith("/last_operation") ? lastOperation : catalogBytes;
                response.setStatus(200);
                response.setContentType("application/json");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        });
        context.addServletMappingDecoded("/*", "fixed");
        tomcat.start();
        tomcat.getServer().await();
    }
}
