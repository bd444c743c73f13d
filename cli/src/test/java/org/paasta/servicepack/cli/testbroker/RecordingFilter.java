package org.paasta.servicepack.cli.testbroker;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sits in front of the SDK: records every request as the broker received it (headers included), and
 * can answer one request in place of the broker, for what a conforming broker never sends (a body
 * that is not JSON, an HTML error page from a proxy).
 */
public class RecordingFilter extends OncePerRequestFilter {
    public record Received(Instant at, String method, String path, String query, Map<String, String> headers) {
    }

    /** An answer to give, once, to the next request whose method and path match. */
    public record Fault(String method, String pathSuffix, int status, String contentType, String body) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();

    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void clear() {
        received.clear();
        faults.clear();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(), request.getHeader(name));
        }
        received.add(new Received(Instant.now(), request.getMethod(), request.getRequestURI(), request.getQueryString(), headers));
        for (Fault fault : faults) {
            if (fault.method().equals(request.getMethod()) && request.getRequestURI().endsWith(fault.pathSuffix())
                    && faults.remove(fault)) {
                response.setStatus(fault.status());
                response.setContentType(fault.contentType());
                response.getOutputStream().write(fault.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
