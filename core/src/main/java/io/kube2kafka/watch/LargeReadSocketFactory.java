package io.kube2kafka.watch;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Sockets whose input is read 64 KiB per system call. Okio reads a socket one 8 KiB segment at a
 * time, so a busy watch (a 5 KB pod per event, thousands a second) cost a read call and a TCP
 * window update per event: a third of the watch thread's time. Reading ahead here costs one extra
 * copy and returns whatever the kernel already has, so a lone event is still handed on at once.
 * TLS, layered over these sockets by OkHttp, reads its records through the same buffer.
 */
final class LargeReadSocketFactory extends SocketFactory {
    static final int READ_BYTES = 64 * 1024;

    @Override
    public Socket createSocket() {
        return new LargeReadSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    private static final class LargeReadSocket extends Socket {
        private InputStream input;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new ReadAheadInputStream(super.getInputStream(), READ_BYTES);
            }
            return input;
        }
    }

    /**
     * Like BufferedInputStream, but a read never blocks for more once it has bytes to return and never
     * asks the socket how much is available (another system call per read).
     */
    static final class ReadAheadInputStream extends InputStream {
        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;

        ReadAheadInputStream(InputStream in, int size) {
            this.in = in;
            this.buffer = new byte[size];
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (length >= buffer.length) {
                    return in.read(target, offset, length);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int count = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, count);
            position += count;
            return count;
        }

        private boolean fill() throws IOException {
            int read = in.read(buffer, 0, buffer.length);
            if (read <= 0) {
                return false;
            }
            position = 0;
            limit = read;
            return true;
        }

        @Override
        public int available() throws IOException {
            return limit - position + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
