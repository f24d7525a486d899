package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes a {@link Checkpoint} in the layout of {@link CheckpointDescriptor}: to {@code checkpoint-N.ckpt.tmp}
 * first, forced, then renamed atomically to {@code checkpoint-N.ckpt} and the directory forced. A crash leaves the
 * old checkpoints and at most a temporary file, which recovery deletes. Streams through a 1 MiB buffer, so a
 * checkpoint of a million messages costs no more heap than that.
 */
final class CheckpointWriter {
    private static final int BUFFER = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    /** Where in the buffer the bytes not yet added to the section CRC start. */
    private int crcFrom;

    private CheckpointWriter(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Writes {@code checkpoint} as {@code dir/checkpoint-<sequence>.ckpt}.
     *
     * @return the file written
     * @throws IOException when it cannot be written; the temporary file is deleted then
     * @throws IllegalStateException when the checkpoint holds a message with no location (its record was not
     *                               written before the checkpoint's barrier: a bug)
     */
    static Path write(Path dir, long sequence, Checkpoint checkpoint) throws IOException {
        Path target = dir.resolve(CheckpointDescriptor.name(sequence));
        Path temp = dir.resolve(target.getFileName() + CheckpointDescriptor.TEMP_SUFFIX);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                CheckpointWriter out = new CheckpointWriter(channel);
                ByteBuffer header = CheckpointDescriptor.header(checkpoint.position(), sequence);
                out.buffer.put(header);
                out.crcFrom = out.buffer.position();
                out.messages(checkpoint.messages());
                out.subscriptions(checkpoint.subscriptions());
                out.files(checkpoint.files());
                out.prepared(checkpoint.lastBranchSequence(), checkpoint.branches());
                out.marks(checkpoint.marks());
                out.begin(CheckpointDescriptor.Section.END, 0);
                out.end();
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Journal.forceDirectory(dir);
            done = true;
            return target;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private void messages(MessageIndex.Snapshot snapshot) throws IOException {
        List<byte[]> names = new ArrayList<>();
        long length = 4;
        for (Map.Entry<String, QueueIndex.View> q : snapshot.queues().entrySet()) {
            byte[] name = q.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            length += 2 + name.length + 4 + (long) q.getValue().size() * CheckpointDescriptor.ENTRY_LENGTH;
        }
        begin(CheckpointDescriptor.Section.MESSAGES, length);
        room(4);
        buffer.putInt(snapshot.queues().size());
        int i = 0;
        for (Map.Entry<String, QueueIndex.View> q : snapshot.queues().entrySet()) {
            byte[] name = names.get(i++);
            QueueIndex.View view = q.getValue();
            room(2 + name.length + 4);
            buffer.putShort((short) name.length).put(name).putInt(view.size());
            int written = 0;
            for (QueueIndex.ChunkView c : view.chunks()) {
                for (int slot = c.start(); slot < c.end(); slot++) {
                    long id = c.ids()[slot];
                    long packed = c.locations()[slot];
                    int file;
                    long offset;
                    int envelopeLength;
                    if (packed == QueueIndex.PENDING) {
                        Location at = view.pending().get(id).location();
                        if (at == null) {
                            throw new IllegalStateException("message " + id + " of queue '" + q.getKey()
                                    + "' has no location at the checkpoint's barrier");
                        }
                        file = at.file();
                        offset = at.offset();
                        envelopeLength = at.length();
                    } else {
                        file = QueueIndex.file(packed);
                        offset = QueueIndex.offset(packed);
                        envelopeLength = c.lengths()[slot];
                    }
                    room(CheckpointDescriptor.ENTRY_LENGTH);
                    buffer.putLong(id).putInt(file).putInt((int) offset).putInt(envelopeLength);
                    written++;
                }
            }
            if (written != view.size()) {
                throw new IllegalStateException("queue '" + q.getKey() + "' snapshot holds " + written
                        + " entries, not " + view.size());
            }
        }
        end();
    }

    private void subscriptions(List<SubscriptionIndex.Entry> entries) throws IOException {
        List<ByteBuffer> payloads = new ArrayList<>(entries.size());
        long length = 4;
        for (SubscriptionIndex.Entry e : entries) {
            ByteBuffer payload = RecordCodec.subscriptionPayload(e.subscription);
            payloads.add(payload);
            length += 4 + 4 + payload.remaining();
        }
        begin(CheckpointDescriptor.Section.SUBSCRIPTIONS, length);
        room(4);
        buffer.putInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            int file = entries.get(i).file;
            if (file < 0) {
                StoredSubscription s = entries.get(i).subscription;
                throw new IllegalStateException("subscription " + s.container() + " has no data file at the "
                        + "checkpoint's barrier");
            }
            ByteBuffer payload = payloads.get(i);
            room(8 + payload.remaining());
            buffer.putInt(file).putInt(payload.remaining()).put(payload);
        }
        end();
    }

    private void files(FileReferences.Snapshot files) throws IOException {
        Set<Integer> numbers = files.files();
        long length = 4;
        for (int file : numbers) {
            length += 20 + 4L * files.cancels().getOrDefault(file, Set.of()).size();
        }
        begin(CheckpointDescriptor.Section.FILES, length);
        room(4);
        buffer.putInt(numbers.size());
        for (int file : numbers) {
            Set<Integer> cancelled = files.cancels().getOrDefault(file, Set.of());
            room(20);
            buffer.putInt(file).putInt(files.live().getOrDefault(file, 0))
                    .putLong(files.liveBytes().getOrDefault(file, 0L)).putInt(cancelled.size());
            for (int c : cancelled) {
                room(4);
                buffer.putInt(c);
            }
        }
        end();
    }

    private void prepared(long lastSequence, List<PreparedBranches.Branch> branches) throws IOException {
        List<byte[]> encoded = new ArrayList<>(branches.size());
        long length = 8 + 4;
        for (PreparedBranches.Branch branch : branches) {
            byte[] bytes = branch(branch);
            encoded.add(bytes);
            length += bytes.length;
        }
        begin(CheckpointDescriptor.Section.PREPARED, length);
        room(12);
        buffer.putLong(lastSequence).putInt(branches.size());
        for (byte[] bytes : encoded) {
            put(bytes);
        }
        end();
    }

    /** One BRANCH of the PREPARED section. */
    private static byte[] branch(PreparedBranches.Branch branch) {
        List<byte[]> addQueues = new ArrayList<>();
        List<byte[]> removeQueues = new ArrayList<>();
        int length = 4 + 4 + 1 + branch.xid.length + 8 + 4 + 4;
        for (PreparedBranches.Add add : branch.adds) {
            byte[] queue = add.queue().getBytes(StandardCharsets.UTF_8);
            addQueues.add(queue);
            length += 2 + queue.length + CheckpointDescriptor.ENTRY_LENGTH;
        }
        for (io.tern.broker.store.StoreBatch.Remove remove : branch.removes) {
            byte[] queue = remove.queue().getBytes(StandardCharsets.UTF_8);
            removeQueues.add(queue);
            length += 2 + queue.length + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(branch.file).putInt((int) branch.bytes).put((byte) branch.xid.length).put(branch.xid)
                .putLong(branch.sequence).putInt(branch.adds.size()).putInt(branch.removes.size());
        for (int i = 0; i < branch.adds.size(); i++) {
            PreparedBranches.Add add = branch.adds.get(i);
            Location at = add.ref().location();
            out.putShort((short) addQueues.get(i).length).put(addQueues.get(i)).putLong(add.id()).putInt(at.file())
                    .putInt((int) at.offset()).putInt(at.length());
        }
        for (int i = 0; i < branch.removes.size(); i++) {
            out.putShort((short) removeQueues.get(i).length).put(removeQueues.get(i))
                    .putLong(branch.removes.get(i).id());
        }
        return out.array();
    }

    private void marks(List<MarkIndex.Entry> marks) throws IOException {
        List<byte[]> names = new ArrayList<>(marks.size());
        long length = 4;
        for (MarkIndex.Entry mark : marks) {
            byte[] name = mark.container.getBytes(StandardCharsets.UTF_8);
            names.add(name);
            length += 2 + name.length + 8 + 4 + 4;
        }
        begin(CheckpointDescriptor.Section.MARKS, length);
        room(4);
        buffer.putInt(marks.size());
        for (int i = 0; i < marks.size(); i++) {
            MarkIndex.Entry mark = marks.get(i);
            byte[] name = names.get(i);
            room(2 + name.length + 16);
            buffer.putShort((short) name.length).put(name).putLong(mark.id).putInt(mark.file)
                    .putInt((int) mark.bytes);
        }
        end();
    }

    /** Writes {@code bytes}, which may be larger than the buffer. */
    private void put(byte[] bytes) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            room(Math.min(bytes.length - at, BUFFER / 2));
            int n = Math.min(bytes.length - at, buffer.remaining());
            buffer.put(bytes, at, n);
            at += n;
        }
    }

    private void begin(CheckpointDescriptor.Section section, long length) throws IOException {
        room(CheckpointDescriptor.SECTION_HEADER_LENGTH);
        crc.reset();
        crcFrom = buffer.position();
        buffer.putShort((short) section.code).putShort((short) 0).putLong(length);
    }

    private void end() throws IOException {
        updateCrc();
        int value = (int) crc.getValue();
        room(CheckpointDescriptor.SECTION_CRC_LENGTH);
        buffer.putInt(value);
        crcFrom = buffer.position();
    }

    /** Makes room for {@code n} more bytes in the buffer (n is far below its size). */
    private void room(int n) throws IOException {
        if (buffer.remaining() < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        updateCrc();
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
        crcFrom = 0;
    }

    private void updateCrc() {
        ByteBuffer pending = buffer.duplicate();
        pending.limit(buffer.position()).position(crcFrom);
        crc.update(pending);
        crcFrom = buffer.position();
    }
}
