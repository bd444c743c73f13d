package org.paasta.servicepack.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis connection speaking RESP2 over a plain socket: the cheapest client there is, so the
 * floor holds Redis' own work and the loopback round trips, not a client library's.
 */
final class Resp implements AutoCloseable {
    /** An error reply ({@code -ERR ...}). */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Resp(int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and returns its reply: String, Long, null, or a List of those. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream(64);
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(request.toByteArray());
        out.flush();
        return reply();
    }

    private Object reply() throws IOException {
        int type = in.read();
        if (type == -1) {
            throw new IOException("connection closed by the server");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(32);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\r') {
                in.read();
                return line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("connection closed mid-reply");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
