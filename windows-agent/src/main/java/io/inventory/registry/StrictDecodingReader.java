package io.inventory.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * A reader that fails on bytes that do not decode, but only after handing out every character before them, so
 * the line counter above it names the line the bad bytes are on. {@code InputStreamReader} reports the error as
 * soon as its read-ahead buffer meets it, often lines earlier.
 */
final class StrictDecodingReader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final byte[] chunk = new byte[1 << 16];
    private boolean endOfInput;
    private boolean flushed;
    private CoderResult pendingError;

    StrictDecodingReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (pendingError != null) {
            throwError();
        }
        if (flushed) {
            // A decoder accepts no input once flushed; a caller may still ask again after the last line.
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (out.position() == offset) {
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                pendingError = result;
                if (out.position() > offset) {
                    break;
                }
                throwError();
            }
            if (result.isOverflow()) {
                break;
            }
            if (endOfInput) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                }
                break;
            }
            fill();
        }
        int count = out.position() - offset;
        return count == 0 && endOfInput ? -1 : count;
    }

    private void fill() throws IOException {
        bytes.compact();
        int read = in.read(chunk, 0, Math.min(chunk.length, bytes.remaining()));
        if (read < 0) {
            endOfInput = true;
        } else {
            bytes.put(chunk, 0, read);
        }
        bytes.flip();
    }

    private void throwError() throws CharacterCodingException {
        pendingError.throwException();
        throw new IllegalStateException("not an error: " + pendingError);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
