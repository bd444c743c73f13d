package org.paasta.servicepack.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket. The load driver shares two cores with
 * the server it measures, so it must cost as little per request as possible: no selector thread,
 * no futures, no header maps (what the JDK HttpClient spends per call), just bytes on a socket.
 */
final class HttpConnection implements AutoCloseable {
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private final String authorization;
    private final boolean osbHeaders;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(int port, String username, String password) {
        this(port, username, password, true);
    }

    /**
     * @param osbHeaders whether to send the OSB API version and {@code Accept: application/json};
     *                   off for other HTTP APIs (RabbitMQ's management API answers 406 to that
     *                   Accept on some resources)
     */
    HttpConnection(int port, String username, String password, boolean osbHeaders) {
        this.host = "127.0.0.1";
        this.port = port;
        this.osbHeaders = osbHeaders;
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response put(String path, String json) {
        return send("PUT", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String json) {
        try {
            return exchange(method, path, json);
        } catch (IOException stale) {
            // The server may close an idle keep-alive connection between two requests: reconnect once.
            close();
            try {
                return exchange(method, path, json);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(method + " " + path + " failed", e);
            }
        }
    }

    private Response exchange(String method, String path, String json) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        if (osbHeaders) {
            head.append("X-Broker-API-Version: 2.17\r\n").append("Accept: application/json\r\n");
        }
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (json != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
        out.flush();
        return readResponse();
    }

    private Response readResponse() throws IOException {
        String statusLine = line();
        if (statusLine.isEmpty()) {
            throw new IOException("connection closed by the server");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers: none expected, skipped
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else if (status != 204 && status != 304) {
            body.write(in.readAllBytes());
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        if (line.length() == 0) {
            return "";
        }
        throw new IOException("connection closed mid-line");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are done with: nothing to recover
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
