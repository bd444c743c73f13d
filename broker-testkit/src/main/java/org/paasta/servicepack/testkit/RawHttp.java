package org.paasta.servicepack.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: what {@link java.net.http.HttpClient}
 * normalises or refuses to send (a NUL or an encoded '/' in a path, a request line over 8 KB,
 * illegal characters in a query, two Content-Lengths, a broken chunk) reaches the broker as a
 * hostile client would send it. One request per connection; the request should say
 * {@code Connection: close}, and the client half-closes after writing so a server waiting for
 * more body sees the end of it.
 */
public final class RawHttp {
    private final String host;
    private final int port;
    private final Duration timeout;

    public RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** One answer; {@code status} is -1 when the bytes that came back are no HTTP response. */
    public record Response(int status, List<String[]> headers, byte[] body, String raw) {
        public Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Response exchange(byte[] request) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before it read everything; its answer still counts.
                writeFailure = e;
            }
            byte[] received;
            try {
                received = readAll(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new UncheckedIOException("no complete answer within " + timeout, e);
            } catch (IOException e) {
                if (writeFailure != null) {
                    e.addSuppressed(writeFailure);
                }
                throw new UncheckedIOException(e);
            }
            return parse(received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a request head: the request line, the given header lines, CRLFs. */
    public static byte[] request(String method, String target, List<String> headerLines, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + (body == null ? 0 : body.length)];
        System.arraycopy(start, 0, all, 0, start.length);
        if (body != null) {
            System.arraycopy(body, 0, all, start.length, body.length);
        }
        return all;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = in.read(buffer)) != -1) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    static Response parse(byte[] received) {
        String raw = new String(received, StandardCharsets.ISO_8859_1);
        // An interim answer (100 Continue to "Expect: 100-continue") precedes the final one.
        while (raw.startsWith("HTTP/1.1 1") && raw.indexOf("\r\n\r\n") > 0) {
            int end = raw.indexOf("\r\n\r\n") + 4;
            byte[] rest = new byte[received.length - end];
            System.arraycopy(received, end, rest, 0, rest.length);
            received = rest;
            raw = raw.substring(end);
        }
        int headEnd = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.") || headEnd < 0) {
            return new Response(-1, List.of(), received, raw);
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1].trim());
        } catch (RuntimeException e) {
            return new Response(-1, List.of(), received, raw);
        }
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        int bodyStart = headEnd + 4;
        byte[] rest = new byte[received.length - bodyStart];
        System.arraycopy(received, bodyStart, rest, 0, rest.length);
        boolean chunked = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding")
                && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
        byte[] body = chunked ? dechunk(rest) : rest;
        Optional<String> length = headers.stream().filter(h -> h[0].equalsIgnoreCase("Content-Length"))
                .map(h -> h[1]).findFirst();
        if (!chunked && length.isPresent()) {
            int declared = Integer.parseInt(length.get());
            if (declared < body.length) {
                byte[] exact = new byte[declared];
                System.arraycopy(body, 0, exact, 0, declared);
                body = exact;
            }
        }
        return new Response(status, headers, body, raw);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOfCrlf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeField = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.write(chunked, start, Math.min(size, chunked.length - start));
            at = start + size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
