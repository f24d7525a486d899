package io.tern.jms.wire;

/**
 * What {@link FrameDecoder} passes up the pipeline instead of a frame when the input is bad. After a failure the
 * decoder discards everything that follows; the handler reports the reason and closes the connection.
 */
public record DecodeFailure(String reason) {
}
